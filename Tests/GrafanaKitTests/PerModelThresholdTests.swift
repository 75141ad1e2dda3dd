import Foundation
import Testing

/// The model rules compare each model's metric with that model's own threshold, which the job writes with
/// every heartbeat (`modelwatch_run.threshold_*`, from `models[].alert_thresholds`). Two models with the
/// same kind of AUC but different floors: only the one under its own floor fires. With the former one-size
/// floor of 0.70 it would be the other way round.
@Suite("Per-model thresholds: each model is alerted against its own floor")
struct PerModelThresholdTests {
    static let day: Int64 = 86_400_000
    static let origin: Int64 = 1_794_182_400_000

    /// A daily model's heartbeat with its thresholds, and its final, sufficient performance windows.
    static func lines(_ model: String, auc: Double, floor: Double, ece: Double = 0.02, eceLimit: Double = 0.10, days: Int = 12) -> [String] {
        (1...days).flatMap { day -> [String] in
            let asOf = origin + Int64(day) * Self.day
            return [
                "modelwatch_run,model=\(model) exit_code=0i,threshold_auc_floor=\(floor),threshold_auc_drop=0.05,threshold_ece=\(eceLimit),threshold_psi=0.25,threshold_ks=0.15,threshold_missing_rate_jump=0.1,threshold_volume_drop=0.5,threshold_label_coverage=0.5 \(asOf)",
                "modelwatch_performance,model=\(model),version=v1,segment=all,segment_value=all auc=\(auc),ece=\(ece),n=5000i,label_coverage=1,sufficient=true,provisional=false \(asOf - 7 * Self.day)",
            ]
        }
    }

    @Test("with floors 0.80 and 0.60, a model at AUC 0.75 fires and a model at AUC 0.65 does not")
    func onlyTheModelUnderItsOwnFloorFires() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let lines = Self.lines("strict", auc: 0.75, floor: 0.80) + Self.lines("lenient", auc: 0.65, floor: 0.60)
        let data = try await ScenarioInflux.scratch("per_model_floor", lines: lines, asOfs: [])
        let outcome = try AlertEvaluationTests.outcome("mw-auc-below-floor", data, at: Self.origin + 12 * Self.day + 3_600_000)
        #expect(AlertEvaluationTests.firing(outcome, by: "model") == ["strict"], "\(outcome.numbers)")
        #expect(Set(outcome.evaluated.compactMap { $0["model"] }) == ["strict", "lenient"])
    }

    @Test("the ECE rule too: limits 0.05 and 0.20, ECE 0.08 and 0.15, only the first fires")
    func eceAgainstItsOwnLimit() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let lines = Self.lines("tight", auc: 0.9, floor: 0.7, ece: 0.08, eceLimit: 0.05)
            + Self.lines("loose", auc: 0.9, floor: 0.7, ece: 0.15, eceLimit: 0.20)
        let data = try await ScenarioInflux.scratch("per_model_ece", lines: lines, asOfs: [])
        let outcome = try AlertEvaluationTests.outcome("mw-ece-high", data, at: Self.origin + 12 * Self.day + 3_600_000)
        #expect(AlertEvaluationTests.firing(outcome, by: "model") == ["tight"], "\(outcome.numbers)")
    }

    @Test("a model whose heartbeats carry no thresholds (written before the upgrade) is not evaluated (Grafana drops unmatched series)")
    func withoutThresholdsNoInstance() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let old = Self.lines("old", auc: 0.5, floor: 0.7).map {
            $0.hasPrefix("modelwatch_run,") ? $0.replacingOccurrences(of: #",threshold_[a-z_]+=[0-9.]+"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"threshold_auc_floor=[0-9.]+,"#, with: "", options: .regularExpression) : $0
        }
        let data = try await ScenarioInflux.scratch("per_model_old", lines: old + Self.lines("new", auc: 0.5, floor: 0.7), asOfs: [])
        let outcome = try AlertEvaluationTests.outcome("mw-auc-below-floor", data, at: Self.origin + 12 * Self.day + 3_600_000)
        #expect(AlertEvaluationTests.firing(outcome, by: "model") == ["new"], "\(outcome.numbers)")
    }
}
