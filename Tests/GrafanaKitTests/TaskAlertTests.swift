import Foundation
import Testing

/// The regression and multiclass rules on modelwatch's own output for the generated `regression` and
/// `multiclass` scenarios (``ScenarioInflux/Recipe/tasks``; incidents from day 25: predictions biased 8 minutes
/// high, `returns` tickets predicted as `shipping`), and on hand-written points where a threshold is needed.
@Suite("Regression and multiclass alert rules", .serialized)
struct TaskAlertTests {
    static let day: Int64 = 86_400_000
    static let rules = ["mw-regression-mae-high", "mw-regression-mae-rise", "mw-multiclass-quality-drop", "mw-class-recall-collapse", "mw-label-drift"]

    static func outcomes(_ data: ScenarioInflux, at now: Int64) throws -> [String: AlertEvaluator.Outcome] {
        var outcomes: [String: AlertEvaluator.Outcome] = [:]
        for uid in rules { outcomes[uid] = try AlertEvaluationTests.outcome(uid, data, at: now) }
        return outcomes
    }

    @Test("after the incidents: the MAE threshold and rise fire for the regression model, the quality drop and the returns class's recall collapse for the multiclass one; no label drift")
    func incidentsFire() async throws {
        guard let data = try await QueryExecutionTests.load(.tasks) else { return }
        let outcomes = try Self.outcomes(data, at: (data.asOfs.last ?? 0) + 3_600_000)
        #expect(AlertEvaluationTests.firing(outcomes["mw-regression-mae-rise"], by: "model") == ["regression"], "\(outcomes["mw-regression-mae-rise"]?.numbers ?? [:])")
        #expect(AlertEvaluationTests.firing(outcomes["mw-multiclass-quality-drop"], by: "model") == ["multiclass"])
        #expect(AlertEvaluationTests.firing(outcomes["mw-class-recall-collapse"], by: "class") == ["returns"], "\(outcomes["mw-class-recall-collapse"]?.numbers ?? [:])")
        #expect(AlertEvaluationTests.firing(outcomes["mw-label-drift"], by: "model").isEmpty, "\(outcomes["mw-label-drift"]?.numbers ?? [:])")
        #expect(Set(outcomes["mw-label-drift"]?.evaluated.compactMap { $0["model"] } ?? []) == ["regression", "multiclass"], "label drift is evaluated")
        #expect(AlertEvaluationTests.firing(outcomes["mw-regression-mae-high"], by: "model") == ["regression"], "the generated config sets alert_thresholds.mae: 8 (minutes)")
    }

    @Test("before the incidents every task rule is silent")
    func silentBefore() async throws {
        guard let data = try await QueryExecutionTests.load(.tasks) else { return }
        // Day 24 + 1 h of the scenarios (the last run day is day 30); the runs of days 8 and 14 give the baselines.
        let now = (data.asOfs.last ?? 0) - 6 * Self.day + 3_600_000
        let outcomes = try Self.outcomes(data, at: now)
        for uid in Self.rules {
            #expect(outcomes[uid]?.firing.isEmpty == true, "\(uid): \(outcomes[uid]?.numbers ?? [:])")
        }
        for uid in Self.rules {
            #expect(!(outcomes[uid]?.evaluated.isEmpty ?? true), "\(uid) is evaluated")
        }
    }

    @Test("mw-regression-mae-high compares each model's MAE with its own alert_thresholds.mae; a model without one is not evaluated")
    func maeAgainstItsOwnThreshold() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let origin = PerModelThresholdTests.origin
        func lines(_ model: String, mae: Double, threshold: Double?) -> [String] {
            (1...12).flatMap { day -> [String] in
                let asOf = origin + Int64(day) * Self.day
                return [
                    "modelwatch_run,model=\(model) exit_code=0i,threshold_psi=0.25\(threshold.map { ",threshold_mae=\($0)" } ?? ""),threshold_mae_rise=0.25 \(asOf)",
                    "modelwatch_regression,model=\(model),version=v1,segment=all,segment_value=all mae=\(mae),n=5000i,label_coverage=1,sufficient=true,provisional=false \(asOf - 3 * Self.day)",
                ]
            }
        }
        let all = lines("tight", mae: 7, threshold: 5) + lines("loose", mae: 7, threshold: 10) + lines("unset", mae: 7, threshold: nil)
        let data = try await ScenarioInflux.scratch("task_mae", lines: all, asOfs: [])
        let outcome = try AlertEvaluationTests.outcome("mw-regression-mae-high", data, at: origin + 12 * Self.day + 3_600_000)
        #expect(AlertEvaluationTests.firing(outcome, by: "model") == ["tight"], "\(outcome.numbers)")
        #expect(Set(outcome.evaluated.compactMap { $0["model"] }) == ["tight", "loose"])
    }
}
