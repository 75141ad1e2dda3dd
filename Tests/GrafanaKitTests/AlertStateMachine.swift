import Foundation

/// The state of a Grafana-managed rule's instances across evaluations, as Grafana 12.x keeps it
/// (`pkg/services/ngalert/state`): one instance per label set of the condition's results.
///
/// - A firing result moves Normal → Pending (or straight to Alerting when `for` is 0); Pending → Alerting once
///   it has been pending for `for`; a normal result moves Pending or Alerting → Normal (through Recovering
///   while `keepFiringFor` has not passed since the condition cleared).
/// - **NoData** (the condition has no result at all) applies `noDataState` to every current instance:
///   `OK` → Normal; `Alerting` → Alerting (a `DatasourceNoData` instance when there is none); `NoData` → NoData;
///   `KeepLast` keeps each state, and a Pending instance goes on to Alerting when its pending period ends.
/// - **MissingSeries** (the condition has results, but not for an instance it had before): the instance keeps
///   its state for `missing_series_evals_to_resolve` evaluations in a row (default 2), then is resolved and
///   dropped. `noDataState` does not apply to this path.
struct AlertStateMachine {
    typealias Labels = [String: String]

    enum State: String, Sendable { case normal, pending, alerting, recovering, noData }

    struct Instance {
        var state: State
        /// When the instance entered Pending (ms), or when the condition cleared while Recovering.
        var since: Int64
        var missingEvaluations = 0
    }

    let forMs: Int64
    let keepFiringForMs: Int64
    var noDataState: String
    let missingSeriesToResolve: Int
    private(set) var instances: [Labels: Instance] = [:]

    init(rule: KitRule) {
        forMs = Self.durationMs(rule.rule["for"]?.string ?? "0s")
        keepFiringForMs = Self.durationMs(rule.rule["keepFiringFor"]?.string ?? "0s")
        noDataState = rule.rule["noDataState"]?.string ?? "NoData"
        missingSeriesToResolve = rule.rule["missing_series_evals_to_resolve"]?.int ?? 2
    }

    /// Instances in a firing state (Alerting, or Recovering under `keepFiringFor`).
    var firing: Set<Labels> {
        Set(instances.filter { $0.value.state == .alerting || $0.value.state == .recovering || ($0.value.state == .noData && noDataState == "Alerting") }.keys)
    }

    /// One evaluation at `now` (epoch ms) with the rule's outcome.
    mutating func step(at now: Int64, _ outcome: AlertEvaluator.Outcome) {
        let results = outcome.results
        if outcome.noData {
            switch noDataState {
            case "OK": for key in instances.keys { instances[key]?.state = .normal }
            case "Alerting":
                if instances.isEmpty { instances[["alertname": "DatasourceNoData"]] = Instance(state: .alerting, since: now) }
                for key in instances.keys { instances[key]?.state = .alerting }
            case "KeepLast":
                for (key, instance) in instances where instance.state == .pending && now - instance.since >= forMs {
                    instances[key]?.state = .alerting
                }
            default: for key in instances.keys { instances[key]?.state = .noData }
            }
            return
        }
        for (labels, isFiring) in results {
            var instance = instances[labels] ?? Instance(state: .normal, since: now)
            instance.missingEvaluations = 0
            switch (instance.state, isFiring) {
            case (.normal, true), (.noData, true):
                instance.state = forMs == 0 ? .alerting : .pending
                instance.since = now
            case (.pending, true):
                if now - instance.since >= forMs { instance.state = .alerting }
            case (.alerting, true), (.recovering, true):
                instance.state = .alerting
            case (.alerting, false):
                if keepFiringForMs > 0 { instance.state = .recovering; instance.since = now } else { instance.state = .normal }
            case (.recovering, false):
                if now - instance.since >= keepFiringForMs { instance.state = .normal }
            case (.pending, false), (.normal, false), (.noData, false):
                instance.state = .normal
            }
            instances[labels] = instance
        }
        for key in instances.keys where results[key] == nil {
            instances[key]?.missingEvaluations += 1
            if (instances[key]?.missingEvaluations ?? 0) >= missingSeriesToResolve { instances[key] = nil }
        }
    }

    /// A Prometheus-style duration (`90s`, `30m`, `1h`, `24h`, `1d`) in milliseconds.
    static func durationMs(_ text: String) -> Int64 {
        var total: Int64 = 0, number: Int64 = 0
        for character in text {
            if let digit = character.wholeNumberValue { number = number * 10 + Int64(digit); continue }
            let unit: Int64 = switch character {
            case "s": 1000
            case "m": 60_000
            case "h": 3_600_000
            case "d": 86_400_000
            case "w": 604_800_000
            default: 0
            }
            total += number * unit
            number = 0
        }
        return total
    }
}

extension AlertEvaluator.Outcome {
    /// Every instance of the condition with whether it fires.
    var results: [[String: String]: Bool] {
        var results: [[String: String]: Bool] = [:]
        for labels in firing { results[labels] = true }
        for labels in evaluated where results[labels] == nil { results[labels] = false }
        return results
    }
}
