import Foundation
import Yams

/// A YAML node plus its key path, with typed accessors whose errors name the key.
///
/// Every mapping is checked for unknown keys, so a typo (`windw: 1h`) is an error instead of a
/// silently ignored setting.
struct ConfigNode {
    let node: Node
    let path: String
    let file: String

    func error(_ message: String, key: String? = nil) -> ConfigError {
        ConfigError(key: key.map { child($0) } ?? path, message, file: file)
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The mapping's value for `key`, if present and not null.
    func optional(_ key: String) throws(ConfigError) -> ConfigNode? {
        guard let mapping = node.mapping else { throw error("expected a mapping (key: value pairs)") }
        guard let value = mapping[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.tag == .init(.null) || (scalar.string == "" && scalar.style == .plain) || scalar.string == "~" || scalar.string == "null" {
            return nil
        }
        return ConfigNode(node: value, path: child(key), file: file)
    }

    /// The mapping's value for `key`; an error naming the key if absent.
    func required(_ key: String) throws(ConfigError) -> ConfigNode {
        guard let value = try optional(key) else { throw error("is required", key: key) }
        return value
    }

    /// Rejects keys not in `allowed`.
    func allowOnly(_ allowed: Set<String>) throws(ConfigError) {
        guard let mapping = node.mapping else { throw error("expected a mapping (key: value pairs)") }
        for (key, _) in mapping {
            let name = key.string ?? "\(key)"
            if !allowed.contains(name) {
                let hint = Suggestion.hint(for: name, among: allowed.sorted())
                throw error("unknown key\(hint); allowed keys: \(allowed.sorted().joined(separator: ", "))", key: name)
            }
        }
    }

    /// Rejects a key written twice in one mapping, anywhere below this node (YAML would keep the last one
    /// silently): the error names the key path and the lines of both.
    func rejectDuplicateKeys() throws(ConfigError) {
        switch node {
        case .mapping(let mapping):
            var seen: [String: Node] = [:]
            for (key, value) in mapping {
                let name = key.string ?? "\(key)"
                if let first = seen[name] {
                    let lines = [first.mark, key.mark].map { $0.map { "line \($0.line)" } ?? "an unknown line" }
                    throw error("is given twice (\(lines[0]) and \(lines[1])); keep one", key: name)
                }
                seen[name] = key
                try ConfigNode(node: value, path: child(name), file: file).rejectDuplicateKeys()
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                try ConfigNode(node: item, path: "\(path)[\(index)]", file: file).rejectDuplicateKeys()
            }
        default:
            return
        }
    }

    var string: String {
        get throws(ConfigError) {
            guard case .scalar(let scalar) = node else { throw error("expected a single value") }
            return scalar.string
        }
    }

    var int: Int {
        get throws(ConfigError) {
            guard let value = Int(try string.replacingOccurrences(of: "_", with: "")) else { throw error("expected an integer, got `\(try string)`") }
            return value
        }
    }

    var double: Double {
        get throws(ConfigError) {
            guard let value = Double(try string), value.isFinite else { throw error("expected a number, got `\(try string)`") }
            return value
        }
    }

    var bool: Bool {
        get throws(ConfigError) {
            switch try string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: throw error("expected true or false, got `\(try string)`")
            }
        }
    }

    /// A duration such as `90s`, `15m`, `1h`, `7d`, `2w`, in seconds.
    var durationSeconds: Int64 {
        get throws(ConfigError) {
            let text = try string
            guard let seconds = DurationText.seconds(text) else {
                throw error("expected a duration such as 30s, 15m, 1h, 7d or 2w, got `\(text)`")
            }
            return seconds
        }
    }

    var list: [ConfigNode] {
        get throws(ConfigError) {
            guard case .sequence(let sequence) = node else { throw error("expected a list") }
            return sequence.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]", file: file) }
        }
    }

    var stringList: [String] {
        get throws(ConfigError) {
            var result: [String] = []
            for item in try list { result.append(try item.string) }
            return result
        }
    }

    var doubleList: [Double] {
        get throws(ConfigError) {
            var result: [Double] = []
            for item in try list { result.append(try item.double) }
            return result
        }
    }
}

/// Parses duration strings such as `1h`, `7d`, `90s`.
public enum DurationText {
    /// Seconds in the duration, or nil when the text is not a positive duration.
    public static func seconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let amount = Int64(trimmed.dropLast()), amount > 0 else { return nil }
        let multiplier: Int64
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3_600
        case "d": multiplier = 86_400
        case "w": multiplier = 604_800
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    /// The shortest text for a duration in seconds (`3600` → `1h`).
    public static func format(_ seconds: Int64) -> String {
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3_600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
