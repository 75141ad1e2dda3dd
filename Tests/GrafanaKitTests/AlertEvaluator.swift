import Foundation

/// Evaluates a provisioned alert rule the way Grafana's server-side expressions do, on the answers of
/// a real InfluxDB: each query series becomes a labelled time series (labels = its tags), `reduce`
/// turns each into a number (mode `dropNN` drops nulls and NaN first), `threshold` compares, `math`
/// combines numbers whose label sets match (equal, or one a subset of the other, as SSE unions do).
/// The condition's non-zero results are the firing instances.
struct AlertEvaluator {
    typealias Labels = [String: String]

    enum Value {
        case series([(labels: Labels, values: [Double?])])
        case numbers([(labels: Labels, value: Double)])
    }

    struct EvaluationError: Error, CustomStringConvertible {
        let description: String
    }

    /// The outcome of one rule.
    struct Outcome {
        /// Label sets of the firing instances.
        var firing: [Labels]
        /// Whether the condition had no data (Grafana's NoData).
        var noData: Bool
        /// Label sets of every instance the condition evaluated (firing or not).
        var evaluated: [Labels] = []
        /// The numbers each expression produced, by refId, for messages.
        var numbers: [String: [(labels: Labels, value: Double)]]
    }

    let rule: KitRule
    /// Runs a rendered InfluxQL query for a data item, returning its series.
    let runQuery: (_ item: Doc) throws -> [ScenarioInflux.Series]

    func evaluate() throws -> Outcome {
        var results: [String: Value] = [:]
        var numbers: [String: [(labels: Labels, value: Double)]] = [:]
        for item in rule.data {
            let refID = item["refId"]?.string ?? ""
            let model = item["model"] ?? .null
            if item["datasourceUid"]?.string != "__expr__" {
                let series = try runQuery(item).map { series -> (labels: Labels, values: [Double?]) in
                    let column = series.columns.firstIndex { $0 != "time" } ?? 1
                    return (series.tags, series.rows.map { $0.indices.contains(column) ? $0[column].number : nil })
                }
                results[refID] = .series(series)
                continue
            }
            let value: Value
            switch model["type"]?.string {
            case "reduce":
                value = .numbers(try reduce(results[model["expression"]?.string ?? ""], reducer: model["reducer"]?.string ?? ""))
            case "threshold":
                let evaluator = model["conditions"]?.array.first?["evaluator"]
                let type = evaluator?["type"]?.string ?? ""
                let limit = evaluator?["params"]?.array.first?.number ?? .nan
                value = .numbers(try numbersOf(results[model["expression"]?.string ?? ""]).map { item in
                    (item.labels, Self.compare(item.value, type, limit) ? 1 : 0)
                })
            case "math":
                value = .numbers(try MathExpression(model["expression"]?.string ?? "").evaluate { name in
                    try numbersOf(results[name])
                })
            default:
                throw EvaluationError(description: "\(refID): unsupported expression \(model["type"]?.string ?? "nil")")
            }
            results[refID] = value
            if case .numbers(let list) = value { numbers[refID] = list }
        }
        let condition = try numbersOf(results[rule.rule["condition"]?.string ?? ""])
        return Outcome(firing: condition.filter { $0.value != 0 && !$0.value.isNaN }.map(\.labels),
                       noData: condition.isEmpty, evaluated: condition.map(\.labels), numbers: numbers)
    }

    static func compare(_ value: Double, _ type: String, _ limit: Double) -> Bool {
        switch type {
        case "gt": value > limit
        case "lt": value < limit
        case "gte": value >= limit
        case "lte": value <= limit
        default: false
        }
    }

    private func numbersOf(_ value: Value?) throws -> [(labels: Labels, value: Double)] {
        guard case .numbers(let list) = value else { throw EvaluationError(description: "expected numbers") }
        return list
    }

    private func reduce(_ value: Value?, reducer: String) throws -> [(labels: Labels, value: Double)] {
        guard case .series(let list) = value else { throw EvaluationError(description: "reduce needs a query") }
        return list.compactMap { item in
            let values = item.values.compactMap { $0 }.filter { !$0.isNaN }
            guard !values.isEmpty else { return nil }
            let result: Double
            switch reducer {
            case "last": result = values.last!
            case "mean": result = values.reduce(0, +) / Double(values.count)
            case "min": result = values.min()!
            case "max": result = values.max()!
            case "sum": result = values.reduce(0, +)
            case "count": result = Double(values.count)
            default: return nil
            }
            return (item.labels, result)
        }
    }
}

/// A tiny parser for SSE math expressions: numbers, `$A`/`${A}`, parentheses, `* /`, `+ -`,
/// comparisons `> < >= <= == !=`, `&&`, `||` (lowest). Booleans are 1 or 0.
struct MathExpression {
    typealias Numbers = [(labels: [String: String], value: Double)]
    let tokens: [String]

    init(_ text: String) {
        let pattern = #"\$\{?[A-Za-z][A-Za-z0-9_]*\}?|\d+(?:\.\d+)?|&&|\|\||>=|<=|==|!=|[-+*/()<>]"#
        let regex = try! NSRegularExpression(pattern: pattern)
        tokens = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range, in: text)!])
        }
    }

    func evaluate(_ lookup: (String) throws -> Numbers) throws -> Numbers {
        var position = 0
        let levels: [[String]] = [["||"], ["&&"], [">", "<", ">=", "<=", "==", "!="], ["+", "-"], ["*", "/"]]
        func parse(_ level: Int) throws -> Numbers {
            if level == levels.count { return try primary() }
            var left = try parse(level + 1)
            while position < tokens.count, levels[level].contains(tokens[position]) {
                let op = tokens[position]
                position += 1
                let right = try parse(level + 1)
                left = Self.combine(left, right, op)
            }
            return left
        }
        func primary() throws -> Numbers {
            guard position < tokens.count else { throw AlertEvaluator.EvaluationError(description: "unexpected end") }
            let token = tokens[position]
            position += 1
            if token == "(" {
                let inner = try parse(0)
                position += 1  // ")"
                return inner
            }
            if token.hasPrefix("$") {
                return try lookup(token.trimmingCharacters(in: CharacterSet(charactersIn: "${}")))
            }
            guard let number = Double(token) else { throw AlertEvaluator.EvaluationError(description: "bad token \(token)") }
            return [([:], number)]
        }
        return try parse(0)
    }

    static func combine(_ left: Numbers, _ right: Numbers, _ op: String) -> Numbers {
        var result: Numbers = []
        for l in left {
            for r in right where l.labels.allSatisfy({ r.labels[$0.key] == $0.value })
                || r.labels.allSatisfy({ l.labels[$0.key] == $0.value }) {
                let labels = l.labels.count >= r.labels.count ? l.labels : r.labels
                let a = l.value, b = r.value
                let value: Double
                switch op {
                case "+": value = a + b
                case "-": value = a - b
                case "*": value = a * b
                case "/": value = a / b
                case ">": value = a > b ? 1 : 0
                case "<": value = a < b ? 1 : 0
                case ">=": value = a >= b ? 1 : 0
                case "<=": value = a <= b ? 1 : 0
                case "==": value = a == b ? 1 : 0
                case "!=": value = a != b ? 1 : 0
                case "&&": value = (a != 0 && b != 0) ? 1 : 0
                case "||": value = (a != 0 || b != 0) ? 1 : 0
                default: value = .nan
                }
                result.append((labels, value))
            }
        }
        return result
    }
}
