import Foundation
import Yams

/// A parsed JSON or YAML document: a small, `Sendable` value tree that the checks walk.
enum Doc: Sendable, Equatable, Decodable {
    case object([String: Doc])
    case array([Doc])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([Doc].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: Doc].self))
        }
    }

    /// The member `key` of an object, or `nil`.
    subscript(_ key: String) -> Doc? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var int: Int? { number.flatMap { $0.rounded() == $0 ? Int($0) : nil } }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var array: [Doc] { if case .array(let items) = self { return items } else { return [] } }

    var object: [String: Doc] { if case .object(let members) = self { return members } else { return [:] } }

    /// Every string anywhere in the tree, depth first.
    var allStrings: [String] {
        switch self {
        case .string(let value): return [value]
        case .array(let items): return items.flatMap(\.allStrings)
        case .object(let members): return members.keys.sorted().flatMap { members[$0]!.allStrings }
        case .number, .bool, .null: return []
        }
    }

    static func json(_ text: String) throws -> Doc {
        try JSONDecoder().decode(Doc.self, from: Data(text.utf8))
    }

    /// YAML through Yams' node tree, so that scalars keep the type YAML 1.1 resolution gives them
    /// (`"8086"` stays a string, `8086` is a number, `false` a boolean).
    static func yaml(_ text: String) throws -> Doc {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return Doc(node)
    }

    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            switch node.tag.description {
            case Tag.Name.null.rawValue: self = .null
            case Tag.Name.bool.rawValue: self = Bool.construct(from: scalar).map(Doc.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                self = Double(scalar.string).map(Doc.number) ?? .string(scalar.string)
            default: self = .string(scalar.string)
            }
        case .sequence(let sequence):
            self = .array(sequence.map(Doc.init))
        case .mapping(let mapping):
            var members: [String: Doc] = [:]
            for (key, value) in mapping { members[key.string ?? ""] = Doc(value) }
            self = .object(members)
        }
    }
}
