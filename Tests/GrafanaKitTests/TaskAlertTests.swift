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

    /// A task rule's per-model threshold: the heartbeat field, the points of one daily model (baseline values for the
    /// windows more than 10 days old, `latest` after), and the thresholds a tight and a loose model carry.
    struct ThresholdCase: Sendable, CustomTestStringConvertible {
        let rule: String
        let field: String
        let tight: Double
        let loose: Double
        /// One line-protocol point for `model` at `time`, with the window's value.
        let point: @Sendable (_ model: String, _ latest: Bool, _ time: Int64) -> String
        var testDescription: String { "\(rule) against threshold_\(field) \(tight) and \(loose)" }
    }

    static let thresholdCases: [ThresholdCase] = [
        // MAE 6 → 7.5: 25% above the baseline.
        ThresholdCase(rule: "mw-regression-mae-rise", field: "mae_rise", tight: 0.1, loose: 0.5) { model, latest, time in
            "modelwatch_regression,model=\(model),version=v1,segment=all,segment_value=all mae=\(latest ? 7.5 : 6),n=5000i,label_coverage=1,sufficient=true,provisional=false \(time)"
        },
        // Macro-F1 0.80 → 0.72 with an unchanged accuracy: a drop of 0.08.
        ThresholdCase(rule: "mw-multiclass-quality-drop", field: "macro_f1_drop", tight: 0.05, loose: 0.10) { model, latest, time in
            "modelwatch_multiclass,model=\(model),version=v1,segment=all,segment_value=all macro_f1=\(latest ? 0.72 : 0.8),accuracy=0.85,n=5000i,label_coverage=1,sufficient=true,provisional=false \(time)"
        },
        // The recall of one class 0.90 → 0.60 (interval up to 0.63): a drop of 0.27.
        ThresholdCase(rule: "mw-class-recall-collapse", field: "recall_drop", tight: 0.2, loose: 0.4) { model, latest, time in
            "modelwatch_multiclass_class,model=\(model),version=v1,segment=all,segment_value=all,class=returns recall=\(latest ? 0.6 : 0.9),recall_ci_upper=\(latest ? 0.63 : 0.92),support=500i,sufficient=true \(time)"
        },
        // Label PSI 0.30 throughout.
        ThresholdCase(rule: "mw-label-drift", field: "psi", tight: 0.25, loose: 0.4) { model, _, time in
            "modelwatch_label,model=\(model),version=v1,segment=all,segment_value=all psi=0.3,count=5000i,drift_sufficient=true \(time)"
        },
    ]

    @Test("each task rule compares a model with its own threshold: of two models with the same numbers only the tighter one fires",
          arguments: thresholdCases)
    func taskRuleAgainstItsOwnThreshold(_ item: ThresholdCase) async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let origin = PerModelThresholdTests.origin, days = 40
        let now = origin + Int64(days) * Self.day + 3_600_000
        func lines(_ model: String, threshold: Double) -> [String] {
            (1...days).flatMap { day -> [String] in
                let asOf = origin + Int64(day) * Self.day, window = asOf - 3 * Self.day
                return ["modelwatch_run,model=\(model) exit_code=0i,threshold_\(item.field)=\(threshold) \(asOf)",
                        item.point(model, window > now - 10 * Self.day, window)]
            }
        }
        let data = try await ScenarioInflux.scratch("task_threshold_" + item.field, lines: lines("tight", threshold: item.tight)
            + lines("loose", threshold: item.loose), asOfs: [])
        let outcome = try AlertEvaluationTests.outcome(item.rule, data, at: now)
        #expect(AlertEvaluationTests.firing(outcome, by: "model") == ["tight"], "\(outcome.numbers)")
        #expect(Set(outcome.evaluated.compactMap { $0["model"] }) == ["tight", "loose"])
    }

    @Test("""
        mw-class-recall-collapse reads the upper end of the latest recall's interval: a thinly labelled class whose recall \
        fell 0.25 by chance (25 labels, interval up to 0.80) stays silent, the same fall on 500 labels fires
        """)
    func recallCollapseNeedsTheIntervalBelow() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let origin = PerModelThresholdTests.origin, days = 40
        let now = origin + Int64(days) * Self.day + 3_600_000
        // Wilson 95% intervals: 16 of 25 → [0.445, 0.798]; 320 of 500 → [0.597, 0.681]; baseline 445 of 500 → [0.860, 0.914].
        func lines(_ model: String, support: Int, recall: Double, lower: Double, upper: Double) -> [String] {
            (1...days).flatMap { day -> [String] in
                let asOf = origin + Int64(day) * Self.day, window = asOf - 3 * Self.day, latest = window > now - 10 * Self.day
                return ["modelwatch_run,model=\(model) exit_code=0i,threshold_recall_drop=0.2 \(asOf)",
                        "modelwatch_multiclass_class,model=\(model),version=v1,segment=all,segment_value=all,class=technical "
                            + (latest ? "recall=\(recall),recall_ci_lower=\(lower),recall_ci_upper=\(upper),support=\(support)i"
                                      : "recall=0.89,recall_ci_lower=0.86,recall_ci_upper=0.914,support=500i") + ",sufficient=true \(window)"]
            }
        }
        let data = try await ScenarioInflux.scratch("recall_interval", lines: lines("thin", support: 25, recall: 0.64, lower: 0.445, upper: 0.798)
            + lines("full", support: 500, recall: 0.64, lower: 0.597, upper: 0.681), asOfs: [])
        let outcome = try AlertEvaluationTests.outcome("mw-class-recall-collapse", data, at: now)
        #expect(AlertEvaluationTests.firing(outcome, by: "model") == ["full"], "\(outcome.numbers)")
        #expect(Set(outcome.evaluated.compactMap { $0["model"] }) == ["thin", "full"])
    }
}
