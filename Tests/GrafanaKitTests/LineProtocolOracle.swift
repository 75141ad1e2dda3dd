import Foundation

/// Just enough of a line-protocol reader to know what modelwatch wrote: measurement, tags, field keys
/// and timestamp of every point. It is the oracle the query-execution tests compare InfluxDB's
/// answers with.
struct WrittenPoint: Sendable, Hashable {
    let measurement: String
    let tags: [String: String]
    let fields: Set<String>
    let timestampMs: Int64
}

enum LineProtocolOracle {
    static func parse(_ text: String) -> [WrittenPoint] {
        text.split(separator: "\n").compactMap { parseLine(String($0)) }
    }

    /// Splits `text` at unescaped occurrences of `separator`, outside double quotes when `quotes`.
    static func split(_ text: String, at separator: Character, quotes: Bool = false, limit: Int = .max) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false, quoted = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if quotes && character == "\"" {
                quoted.toggle()
                current.append(character)
            } else if character == separator && !quoted && parts.count < limit - 1 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    static func unescape(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                if ![",", "=", " ", "\\"].contains(character) { result.append("\\") }
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

    static func parseLine(_ line: String) -> WrittenPoint? {
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        let sections = split(line, at: " ", quotes: true)
        guard sections.count == 3, let timestamp = Int64(sections[2]) else { return nil }
        let key = split(sections[0], at: ",")
        var tags: [String: String] = [:]
        for pair in key.dropFirst() {
            let parts = split(pair, at: "=", limit: 2)
            if parts.count == 2 { tags[unescape(parts[0])] = unescape(parts[1]) }
        }
        let fields = Set(split(sections[1], at: ",", quotes: true).compactMap { field -> String? in
            let parts = split(field, at: "=", quotes: true, limit: 2)
            return parts.count == 2 ? unescape(parts[0]) : nil
        })
        return WrittenPoint(measurement: unescape(key[0]), tags: tags, fields: fields, timestampMs: timestamp)
    }
}
