import Foundation

/// Reproduces how Grafana turns a stored InfluxQL query into the text InfluxDB receives.
///
/// Stage 1 (dashboards only, Grafana's frontend `templateSrv.replace`): template variables written
/// `$var`, `[[var]]`, `[[var:fmt]]`, `${var}`, `${var:fmt}` or `${var.field}` are replaced by their
/// current value in the given format; "All" becomes the variable's `allValue` unformatted (or, without
/// one, every option formatted). Names that are not variables (`$timeFilter`, `$__interval`, …) are
/// left alone. The kit writes every variable with an explicit format, so a reference without one is
/// an error here instead of a guess at the version-dependent default.
///
/// Stage 2 (Grafana's backend, `pkg/tsdb/influxdb/models/query.go`): plain replacements in this order:
/// `$timeFilter` → `time >= <from>ms and time <= <to>ms`, `$interval` → `FormatInterval(interval)`,
/// `$__interval_ms` → the interval in milliseconds, `$__interval` → `FormatInterval(interval)`.
struct GrafanaQueryRenderer: Sendable {
    /// A template variable's current state.
    struct Variable: Sendable, Equatable {
        var name: String
        /// The selected values; ignored when `isAll`.
        var values: [String]
        /// Whether "All" is selected.
        var isAll: Bool
        /// The custom all value (e.g. `.*`), inserted unformatted for "All".
        var allValue: String?
        /// Every option of the variable, used for "All" when there is no `allValue`.
        var options: [String]

        init(name: String, values: [String] = [], isAll: Bool = false, allValue: String? = nil, options: [String] = []) {
            self.name = name
            self.values = values
            self.isAll = isAll
            self.allValue = allValue
            self.options = options
        }

        static func all(_ name: String, allValue: String? = ".*", options: [String] = []) -> Variable {
            Variable(name: name, isAll: true, allValue: allValue, options: options)
        }

        static func value(_ name: String, _ values: String...) -> Variable {
            Variable(name: name, values: values)
        }
    }

    enum RenderError: Error, Equatable, CustomStringConvertible {
        case implicitFormat(String)
        case unsupportedFormat(String, String)

        var description: String {
            switch self {
            case .implicitFormat(let name):
                "$\(name) has no explicit format: write ${\(name):regex} (or :raw)"
            case .unsupportedFormat(let name, let format):
                "${\(name):\(format)}: format \(format) is not reproduced by the harness"
            }
        }
    }

    var variables: [String: Variable]
    /// Range start and end, epoch milliseconds.
    var fromMs: Int64
    var toMs: Int64
    /// The request interval in milliseconds (at least 1).
    var intervalMs: Int64

    init(variables: [Variable] = [], fromMs: Int64, toMs: Int64, intervalMs: Int64) {
        self.variables = Dictionary(variables.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.fromMs = fromMs
        self.toMs = toMs
        self.intervalMs = max(1, intervalMs)
    }

    /// Both stages.
    func render(_ query: String) throws -> String {
        Self.stage2(try stage1(query), fromMs: fromMs, toMs: toMs, intervalMs: intervalMs)
    }

    // MARK: Stage 1

    /// Grafana's `variableRegex`.
    static let variablePattern = #"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?\}"#

    func stage1(_ query: String) throws -> String {
        let regex = try NSRegularExpression(pattern: Self.variablePattern)
        var result = ""
        var cursor = query.startIndex
        for match in regex.matches(in: query, range: NSRange(query.startIndex..., in: query)) {
            guard let whole = Range(match.range, in: query) else { continue }
            func group(_ index: Int) -> String? {
                Range(match.range(at: index), in: query).map { String(query[$0]) }
            }
            let name = group(1) ?? group(2) ?? group(4) ?? ""
            let format = group(3) ?? group(6)
            result += query[cursor..<whole.lowerBound]
            cursor = whole.upperBound
            guard let variable = variables[name] else {
                result += query[whole]  // not a template variable: left for the backend or untouched
                continue
            }
            guard let format else { throw RenderError.implicitFormat(name) }
            result += try Self.format(variable, as: format)
        }
        result += query[cursor...]
        return result
    }

    static func format(_ variable: Variable, as format: String) throws -> String {
        if variable.isAll, let allValue = variable.allValue, format != "text", format != "percentencode" {
            return allValue
        }
        let values = variable.isAll ? variable.options : variable.values
        switch format {
        case "regex":
            let escaped = values.map(regexEscape)
            return escaped.count == 1 ? escaped[0] : "(" + escaped.joined(separator: "|") + ")"
        case "raw", "csv":
            return values.joined(separator: ",")
        case "pipe":
            return values.joined(separator: "|")
        case "singlequote":
            return values.map { "'" + $0.replacingOccurrences(of: "'", with: "\\'") + "'" }.joined(separator: ",")
        case "doublequote":
            return values.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",")
        default:
            throw RenderError.unsupportedFormat(variable.name, format)
        }
    }

    /// `kbn.regexEscape`: backslash before each of `\ ^ $ * + ? . ( ) | [ ] { } /`.
    static func regexEscape(_ value: String) -> String {
        let special: Set<Character> = ["\\", "^", "$", "*", "+", "?", ".", "(", ")", "|", "[", "]", "{", "}", "/"]
        var result = ""
        for character in value {
            if special.contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    // MARK: Stage 2

    static func stage2(_ query: String, fromMs: Int64, toMs: Int64, intervalMs: Int64) -> String {
        let interval = max(1, intervalMs)
        return query
            .replacingOccurrences(of: "$timeFilter", with: "time >= \(fromMs)ms and time <= \(toMs)ms")
            .replacingOccurrences(of: "$interval", with: formatInterval(milliseconds: interval))
            .replacingOccurrences(of: "$__interval_ms", with: String(interval))
            .replacingOccurrences(of: "$__interval", with: formatInterval(milliseconds: interval))
    }

    /// grafana-plugin-sdk-go `gtime.FormatInterval`: the largest whole unit, truncated.
    static func formatInterval(milliseconds: Int64) -> String {
        let second: Int64 = 1000, minute = 60 * second, hour = 60 * minute, day = 24 * hour, year = 365 * day
        switch milliseconds {
        case year...: return "\(milliseconds / year)y"
        case day...: return "\(milliseconds / day)d"
        case hour...: return "\(milliseconds / hour)h"
        case minute...: return "\(milliseconds / minute)m"
        case second...: return "\(milliseconds / second)s"
        case 1...: return "\(milliseconds)ms"
        default: return "1ms"
        }
    }

    // MARK: Dashboard interval

    /// The interval a dashboard panel requests: `rangeUtil.calculateInterval` — the range divided by
    /// max data points, rounded by `roundInterval`, and never below the min interval (the panel's or
    /// the datasource's `timeInterval`).
    static func dashboardIntervalMs(fromMs: Int64, toMs: Int64, maxDataPoints: Int64, minIntervalMs: Int64) -> Int64 {
        let raw = Double(toMs - fromMs) / Double(max(1, maxDataPoints))
        return max(roundInterval(raw), minIntervalMs)
    }

    /// `rangeUtil.roundInterval` from @grafana/data.
    static func roundInterval(_ interval: Double) -> Int64 {
        let table: [(below: Double, value: Int64)] = [
            (15, 10), (35, 20), (75, 50), (150, 100), (350, 200), (750, 500), (1500, 1000), (3500, 2000),
            (7500, 5000), (12500, 10000), (17500, 15000), (25000, 20000), (45000, 30000), (90000, 60000),
            (210_000, 120_000), (450_000, 300_000), (750_000, 600_000), (1_050_000, 900_000),
            (1_500_000, 1_200_000), (2_700_000, 1_800_000), (5_400_000, 3_600_000), (9_000_000, 7_200_000),
            (16_200_000, 10_800_000), (32_400_000, 21_600_000), (86_400_000, 43_200_000),
            (604_800_000, 86_400_000), (1_814_400_000, 604_800_000), (3_628_800_000, 2_592_000_000),
        ]
        return table.first { interval < $0.below }?.value ?? 31_536_000_000
    }
}
