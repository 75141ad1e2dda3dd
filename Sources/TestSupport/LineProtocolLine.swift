/// One line of InfluxDB line protocol, parsed back for assertions (escapes undone): the tests' one reader of
/// what modelwatch wrote (the job's outputs, the Grafana kit's scenario data).
public struct LineProtocolLine: CustomStringConvertible, Sendable {
    public let raw: String
    public let measurement: String
    /// Tag keys in the order written.
    public let tagKeys: [String]
    public let tags: [String: String]
    /// Field keys in the order written.
    public let fieldKeys: [String]
    /// Field values as written (`1i`, `0.5`, `"text"`, `true`).
    public let fields: [String: String]
    public let timestampMs: Int64

    public var description: String { raw }

    public init?(_ line: String) {
        raw = line
        // Measurement and tags end at the first unescaped space (quotes are literal there); the timestamp
        // follows the last space; the fields are in between (string fields may hold spaces).
        var keyEnd: String.Index?
        var escaped = false
        for index in line.indices {
            if escaped { escaped = false; continue }
            if line[index] == "\\" { escaped = true; continue }
            if line[index] == " " { keyEnd = index; break }
        }
        guard let keyEnd, let lastSpace = line.lastIndex(of: " "), lastSpace > keyEnd,
              let timestamp = Int64(line[line.index(after: lastSpace)...]) else { return nil }
        timestampMs = timestamp
        let sections = [String(line[..<keyEnd]), String(line[line.index(after: keyEnd)..<lastSpace])]
        let key = Self.split(sections[0], on: ",", quotes: false)
        measurement = Self.unescape(key[0])
        var tagKeys: [String] = []
        var tags: [String: String] = [:]
        for pair in key.dropFirst() {
            let parts = Self.split(pair, on: "=", quotes: false)
            guard parts.count == 2 else { return nil }
            tagKeys.append(Self.unescape(parts[0]))
            tags[Self.unescape(parts[0])] = Self.unescape(parts[1])
        }
        self.tagKeys = tagKeys
        self.tags = tags
        var fieldKeys: [String] = []
        var fields: [String: String] = [:]
        for pair in Self.split(sections[1], on: ",") {
            let parts = Self.split(pair, on: "=", limit: 2)
            guard parts.count == 2 else { return nil }
            fieldKeys.append(Self.unescape(parts[0]))
            fields[Self.unescape(parts[0])] = parts[1]
        }
        self.fieldKeys = fieldKeys
        self.fields = fields
    }

    /// A float or integer field as a Double.
    public func number(_ key: String) -> Double? {
        guard var text = fields[key] else { return nil }
        if text.hasSuffix("i") { text.removeLast() }
        return Double(text)
    }

    /// An integer field (`12i`).
    public func integer(_ key: String) -> Int? {
        guard let text = fields[key], text.hasSuffix("i") else { return nil }
        return Int(text.dropLast())
    }

    /// A string field, unescaped.
    public func string(_ key: String) -> String? {
        guard let text = fields[key], text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 else { return nil }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped { result.append(character); escaped = false } else if character == "\\" { escaped = true } else { result.append(character) }
        }
        return result
    }

    /// A boolean field.
    public func boolean(_ key: String) -> Bool? {
        switch fields[key] {
        case "true"?, "t"?, "T"?, "True"?, "TRUE"?: true
        case "false"?, "f"?, "F"?, "False"?, "FALSE"?: false
        default: nil
        }
    }

    /// Splits on `separator` outside escapes (and outside double quotes when `quotes`).
    private static func split(_ text: String, on separator: Character, quotes: Bool = true, limit: Int = .max) -> [String] {
        var parts: [String] = [""]
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { parts[parts.count - 1].append(character); escaped = false; continue }
            if character == "\\" { escaped = true; parts[parts.count - 1].append(character); continue }
            if quotes && character == "\"" { quoted.toggle() }
            if character == separator && !quoted && parts.count < limit { parts.append(""); continue }
            parts[parts.count - 1].append(character)
        }
        return parts
    }

    /// Undoes the escapes of measurements, tag keys and values and field keys (`\,` `\=` `\ ` `\\`).
    private static func unescape(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                if !",= \\".contains(character) { result.append("\\") }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
}
