import Foundation

/// The schema identifiers an InfluxQL query names, extracted well enough to check them against
/// `MetricSchema.Schema`: measurements after `FROM`, fields in `SELECT` lists (bare or inside a
/// function call), keys compared in `WHERE` clauses (`"key" <op>` anywhere), keys in `GROUP BY`, the key of a
/// `SHOW TAG VALUES … WITH KEY = "k"`, and the aliases introduced with `AS`.
///
/// It handles what the kit writes — double-quoted identifiers, subqueries in `FROM (…)`, Grafana
/// macros and template variables — not the whole language.
struct InfluxQLIdentifiers: Equatable, Sendable {
    var measurements: Set<String> = []
    var selectedFields: Set<String> = []
    var whereKeys: Set<String> = []
    var groupByKeys: Set<String> = []
    var showTagKeys: Set<String> = []
    var aliases: Set<String> = []

    init(_ query: String) {
        let text = query.replacingOccurrences(of: "\n", with: " ")
        measurements = Set(Self.captures(#"(?i)\bFROM\s+"([^"]+)""#, in: text))
            .union(Self.captures(#"(?i)\bFROM\s+([A-Za-z_][A-Za-z0-9_]*)"#, in: text))
        aliases = Set(Self.captures(#"(?i)\bAS\s+"([^"]+)""#, in: text))
        showTagKeys = Set(Self.captures(#"(?i)\bWITH\s+KEY\s*=\s*"([^"]+)""#, in: text))
        for list in Self.captures(#"(?i)\bSELECT\s+(.*?)\s+FROM\b"#, in: text) {
            let withoutAliases = list.replacingOccurrences(
                of: #"(?i)\bAS\s+"[^"]+""#, with: "", options: .regularExpression)
            selectedFields.formUnion(Self.captures(#""([^"]+)""#, in: withoutAliases))
        }
        // A quoted identifier followed by a comparison operator only occurs in WHERE clauses
        // (including parenthesised ones and those of subqueries).
        whereKeys = Set(Self.captures(#""([^"]+)"\s*(?:=~|!~|!=|<>|>=|<=|=|<|>)"#, in: text))
        for clause in Self.captures(#"(?i)\bGROUP\s+BY\s+(.*?)(?=\bfill\(|\bORDER\s+BY\b|\bLIMIT\b|\)\s*$|\)\s*GROUP\b|$)"#, in: text) {
            groupByKeys.formUnion(Self.captures(#""([^"]+)""#, in: clause))
        }
    }

    /// The query without its subqueries: each `FROM (…)` becomes `FROM (subquery)`, so that the outer
    /// statement's GROUP BY can be read on its own.
    static func outerStatement(_ query: String) -> String {
        var result = ""
        var depth = 0
        var index = query.startIndex
        while index < query.endIndex {
            if depth == 0, query[index...].range(of: #"^(?i)FROM\s*\("#, options: .regularExpression) != nil {
                let open = query[index...].firstIndex(of: "(")!
                result += query[index..<open] + "(subquery)"
                depth = 1
                index = query.index(after: open)
                continue
            }
            if depth > 0 {
                if query[index] == "(" { depth += 1 }
                if query[index] == ")" { depth -= 1 }
            } else {
                result.append(query[index])
            }
            index = query.index(after: index)
        }
        return result
    }

    /// The first capture group of every match of `pattern` in `text`.
    static func captures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

/// Grafana template-variable references in a query, per Grafana's `variableRegex`:
/// `$var`, `[[var]]`, `[[var:fmt]]`, `${var}`, `${var:fmt}`, `${var.field}`.
struct VariableReference: Equatable, Sendable {
    let name: String
    let format: String?
    let syntax: Syntax

    enum Syntax: Sendable { case dollar, brackets, braces }

    /// Names that are macros or alias patterns, not template variables.
    static func isBuiltin(_ name: String) -> Bool {
        name == "timeFilter" || name == "interval" || name.hasPrefix("__") || name.hasPrefix("tag_")
            || ["m", "col", "measurement"].contains(name)
    }

    static func all(in text: String) -> [VariableReference] {
        let pattern = #"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?\}"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        func group(_ match: NSTextCheckingResult, _ index: Int) -> String? {
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            if let name = group(match, 1) { return VariableReference(name: name, format: nil, syntax: .dollar) }
            if let name = group(match, 2) {
                return VariableReference(name: name, format: group(match, 3), syntax: .brackets)
            }
            if let name = group(match, 4) {
                return VariableReference(name: name, format: group(match, 6), syntax: .braces)
            }
            return nil
        }
    }
}

/// GitHub's heading anchors: lower-cased, punctuation other than `-` and `_` dropped, spaces turned
/// into `-`; repeated headings get `-1`, `-2`, … in order.
enum GitHubAnchors {
    static func slug(_ heading: String) -> String {
        var result = ""
        for character in heading.lowercased() {
            if character == " " {
                result.append("-")
            } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
                result.append(character)
            }
        }
        return result
    }

    /// The anchors of every ATX heading (`#` … `######`) of a Markdown document, outside code fences.
    static func anchors(markdown: String) -> [String] {
        var seen: [String: Int] = [:]
        var anchors: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            guard !inFence, let match = trimmed.range(of: #"^#{1,6}\s+"#, options: .regularExpression) else { continue }
            var text = String(trimmed[match.upperBound...])
            text = text.replacingOccurrences(of: #"\s+#+\s*$"#, with: "", options: .regularExpression)
            text = text.replacingOccurrences(of: #"`"#, with: "")
            let base = slug(text.trimmingCharacters(in: .whitespaces))
            let count = seen[base, default: 0]
            anchors.append(count == 0 ? base : "\(base)-\(count)")
            seen[base] = count + 1
        }
        return anchors
    }
}
