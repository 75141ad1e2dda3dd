import Foundation
import Testing

/// The alert rules on the generator's 30-day presets, evaluated one hour after the last daily run
/// (day 30; every incident starts on day 25): each incident fires the rule that exists for it, and a
/// healthy run fires nothing. Seven scenarios × 11 runs take a few minutes on two cores;
/// `MODELWATCH_SKIP_SCENARIOS=1` skips this suite for quick local iterations (CI runs it).
@Suite("Alert rules on the generator's 30-day scenarios",
       .enabled(if: ProcessInfo.processInfo.environment["MODELWATCH_SKIP_SCENARIOS"] != "1",
                "MODELWATCH_SKIP_SCENARIOS=1"))
struct ScenarioAlertTests {
    static let pipelineRules = ["mw-job-stopped", "mw-model-heartbeat-missing", "mw-runs-failing", "mw-write-failures",
                                "mw-points-lost", "mw-spool-growing", "mw-model-too-old"]

    struct Incident: Sendable, CustomTestStringConvertible {
        let scenario: String
        let rule: String
        /// The label that identifies the instance that must fire, and its value.
        let label: String
        let value: String
        var testDescription: String { "\(scenario) fires \(rule) for \(label)=\(value)" }
    }

    static let incidents: [Incident] = [
        Incident(scenario: "feature-missing", rule: "mw-feature-missing-jump", label: "feature", value: "f_num_01"),
        Incident(scenario: "feature-drift", rule: "mw-feature-drift", label: "feature", value: "f_num_00"),
        Incident(scenario: "feature-drift", rule: "mw-feature-drift-sustained", label: "feature", value: "f_num_00"),
        Incident(scenario: "model-degradation", rule: "mw-auc-below-floor", label: "model", value: "demo-model"),
        Incident(scenario: "model-degradation", rule: "mw-auc-drop", label: "model", value: "demo-model"),
        Incident(scenario: "model-degradation", rule: "mw-auc-sustained-drop", label: "model", value: "demo-model"),
        // The scores keep their distribution while they lose their link to the labels: concept drift for the estimate,
        // so the realized AUC leaves the estimate's band once the labels of the decayed windows arrive.
        Incident(scenario: "model-degradation", rule: "mw-auc-estimate-divergence", label: "model", value: "demo-model"),
        Incident(scenario: "labels-stop", rule: "mw-labels-late", label: "model", value: "demo-model"),
        Incident(scenario: "labels-stop", rule: "mw-labels-stopped", label: "model", value: "demo-model"),
        Incident(scenario: "labels-stop", rule: "mw-label-arrivals-stopped", label: "model", value: "demo-model"),
        Incident(scenario: "labels-stop", rule: "mw-label-arrivals-slowdown", label: "model", value: "demo-model"),
        Incident(scenario: "volume-collapse", rule: "mw-volume-collapse", label: "model", value: "demo-model"),
        Incident(scenario: "score-shift", rule: "mw-score-shift", label: "model", value: "demo-model"),
        Incident(scenario: "score-shift", rule: "mw-ece-high", label: "model", value: "demo-model"),
        // Calibrated scores that separate less: the estimate sees it from the scores alone, the realized AUC once
        // labels arrive (EstimateLeadTests checks the order).
        Incident(scenario: "covariate-shift", rule: "mw-auc-estimate-below-floor", label: "model", value: "demo-model"),
        Incident(scenario: "covariate-shift", rule: "mw-auc-below-floor", label: "model", value: "demo-model"),
    ]

    static func outcomes(_ scenario: String) async throws -> [String: AlertEvaluator.Outcome]? {
        guard let data = try await QueryExecutionTests.load(.thirtyDays(scenario)) else { return nil }
        return try AlertEvaluationTests.outcomes(data)
    }

    static func describe(_ outcome: AlertEvaluator.Outcome) -> String {
        "firing \(outcome.firing), numbers \(outcome.numbers.mapValues { $0.map(\.value) })"
    }

    @Test("a healthy 30-day run fires no rule, and every rule has data")
    func healthyRunIsSilent() async throws {
        guard let outcomes = try await Self.outcomes("healthy") else { return }
        #expect(outcomes.count == Kit.rules.count)
        for (uid, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
            #expect(outcome.firing.isEmpty, "\(uid) fires on healthy data: \(Self.describe(outcome))")
            // The regression and multiclass rules read measurements a binary model never writes; TaskAlertTests
            // evaluates them on the generated regression and multiclass scenarios.
            if TaskAlertTests.rules.contains(uid) {
                #expect(outcome.noData, "\(uid) has data from a binary model")
                continue
            }
            #expect(!outcome.noData, "\(uid) has no data on a healthy run")
        }
    }

    @Test("each incident fires the rule that exists for it", arguments: incidents)
    func incidentFiresItsRule(incident: Incident) async throws {
        guard let outcomes = try await Self.outcomes(incident.scenario) else { return }
        let outcome = try #require(outcomes[incident.rule])
        #expect(outcome.firing.contains { $0[incident.label] == incident.value }, "\(Self.describe(outcome))")
    }

    @Test("incidents in the model or the data never fire the pipeline rules",
          arguments: ["feature-missing", "feature-drift", "model-degradation", "labels-stop", "volume-collapse", "score-shift",
                      "covariate-shift"])
    func incidentsLeavePipelineRulesSilent(scenario: String) async throws {
        guard let outcomes = try await Self.outcomes(scenario) else { return }
        for uid in Self.pipelineRules {
            let outcome = try #require(outcomes[uid])
            #expect(outcome.firing.isEmpty, "\(uid): \(Self.describe(outcome))")
            #expect(!outcome.noData, "\(uid) has no data")
        }
    }
}
