import Foundation

/// The runbook base URL as Grafana provisioning and docker-compose resolve it.
///
/// Grafana expands `$NAME` and `${NAME}` in provisioned label values with Go's `os.ExpandEnv` (an unset
/// variable becomes empty; `$$` is a literal `$`; `${NAME:-default}` is *not* supported: the whole
/// `NAME:-default` is taken as the name, which is never set). Defaults therefore come from compose, which
/// does support `${NAME:-default}`.
enum RunbookBase {
    /// Expands `value` as Grafana's provisioning does.
    static func expanded(_ value: String, environment: [String: String]) throws -> String {
        value.components(separatedBy: "$$").map { part in
            let regex = try! NSRegularExpression(pattern: #"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))"#)
            var result = ""
            var last = part.startIndex
            for match in regex.matches(in: part, range: NSRange(part.startIndex..., in: part)) {
                let range = Range(match.range, in: part)!
                result += part[last..<range.lowerBound]
                let name = [1, 2].compactMap { Range(match.range(at: $0), in: part).map { String(part[$0]) } }.first ?? ""
                result += environment[name] ?? ""
                last = range.upperBound
            }
            return result + part[last...]
        }.joined(separator: "$")
    }

    /// The Grafana service's environment as compose sets it with an empty `.env`: each `${NAME:-default}`
    /// becomes its default.
    static func composeDefaults() throws -> [String: String] {
        try ComposeFile.grafanaEnvironment().compactMapValues { raw in
            guard let match = raw.range(of: #"^\$\{[A-Z0-9_]+:-(.*)\}$"#, options: .regularExpression) else { return raw }
            let text = String(raw[match])
            return String(text[text.range(of: ":-")!.upperBound...].dropLast())
        }
    }
}
