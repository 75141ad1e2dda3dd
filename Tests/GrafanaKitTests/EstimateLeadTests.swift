import Foundation
import Testing

/// The estimated-AUC alert under covariate shift (the `covariate-shift` preset: from the first instant of day 25 the
/// scores crowd around 0.5 and stay calibrated, so the realized AUC falls to ≈ 0.6): `mw-auc-estimate-below-floor`
/// fires on the first daily run whose input window holds decayed rows, while the realized `mw-auc-below-floor` waits
/// for the labels to mature; on the healthy preset the estimate rule stays silent after every run. The rules are
/// evaluated one minute after each daily run on what the runs up to then had written, as in ``DetectionTableTests``.
/// Part of the slow scenario suite: `MODELWATCH_SKIP_SCENARIOS=1` skips it.
@Suite("The estimated AUC alert leads the realized one under covariate shift",
       .enabled(if: ProcessInfo.processInfo.environment["MODELWATCH_SKIP_SCENARIOS"] != "1", "MODELWATCH_SKIP_SCENARIOS=1"))
struct EstimateLeadTests {
    static let estimateRule = "mw-auc-estimate-below-floor"
    static let realizedRule = "mw-auc-below-floor"
    typealias D = DetectionTableTests

    /// The as-of time of the first run after which each rule fires for `demo-model`, stepping through the runs.
    static func firstFiring(_ scenario: String, rules: [String]) async throws -> (asOfs: [Int64], incidentStart: Int64, first: [String: Int64])? {
        guard let data = try await QueryExecutionTests.load(.thirtyDays(scenario)) else { return nil }
        let start = data.asOfs[0] - Int64(ScenarioInflux.Recipe.presetDays[0]) * ScenarioInflux.dayMs
        var first: [String: Int64] = [:]
        for (index, asOf) in data.asOfs.enumerated() where first.count < rules.count {
            let written = try await ScenarioInflux.scratch(
                "lead_\(scenario.replacingOccurrences(of: "-", with: "_"))",
                lines: data.runTexts[...index].flatMap { $0.split(separator: "\n").map(String.init) }, asOfs: [])
            for rule in rules where first[rule] == nil {
                let outcome = try AlertEvaluationTests.outcome(rule, written, at: asOf + ScenarioInflux.runDelayMs + D.minute)
                if outcome.firing.contains(where: { $0["model"] == "demo-model" }) { first[rule] = asOf }
            }
        }
        return (data.asOfs, start + 24 * D.day, first)
    }

    @Test("covariate shift: the estimate fires on the first run after the decay, days before the realized AUC")
    func estimateLeadsRealized() async throws {
        guard let result = try await Self.firstFiring("covariate-shift", rules: [Self.estimateRule, Self.realizedRule]) else { return }
        // The first run whose input window (the day before its as-of time) holds decayed rows.
        let firstDecayedRun = try #require(result.asOfs.first { $0 > result.incidentStart })
        let estimate = try #require(result.first[Self.estimateRule], "the estimate never fired")
        let realized = try #require(result.first[Self.realizedRule], "the realized AUC never fired")
        #expect(estimate == firstDecayedRun, "estimate first fires after the run of \(ScenarioInflux.rfc3339(estimate))")
        #expect(realized - estimate >= 2 * D.day, "realized fires after the run of \(ScenarioInflux.rfc3339(realized))")
        let delay = { (asOf: Int64, rule: String) in
            D.text(asOf + ScenarioInflux.runDelayMs + D.minute - result.incidentStart + D.pending(rule))
        }
        print("covariate-shift: \(Self.estimateRule) after \(delay(estimate, Self.estimateRule)) (run of \(ScenarioInflux.rfc3339(estimate).prefix(10))), "
              + "\(Self.realizedRule) after \(delay(realized, Self.realizedRule)) (run of \(ScenarioInflux.rfc3339(realized).prefix(10)))")
    }

    @Test("the estimated AUC alert stays silent after every run of the healthy preset")
    func healthyRunsAreSilent() async throws {
        guard let result = try await Self.firstFiring("healthy", rules: [Self.estimateRule]) else { return }
        #expect(result.first[Self.estimateRule] == nil,
                "fires after the healthy run of \(result.first[Self.estimateRule].map(ScenarioInflux.rfc3339) ?? "")")
    }
}
