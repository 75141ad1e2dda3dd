import Foundation
import Testing

/// `mw-label-arrivals-stopped` sees a label stop from label arrival times (`newest_label_age_seconds` of the
/// heartbeat), at the first run after the stop, instead of one maturity delay later. Daily heartbeats stamped
/// T = midnight; the usual label age at a run is minutes (labels arrive all day), for "sparse" 8 hours (one
/// batch a day at 16:00).
@Suite("A label stop is detected from label arrivals within one run interval")
struct LabelArrivalTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour
    static let origin: Int64 = 1_794_182_400_000
    static let stopDay = 14

    static func lines(throughDay last: Int) -> [String] {
        (1...last).flatMap { day -> [String] in
            let asOf = origin + Int64(day) * Self.day
            // Labels stop at 10:00 on stopDay: the run at the next midnight sees a 14-hour-old newest label.
            let busyAge = day <= stopDay ? 300 + (day % 3) * 60 : Int((asOf - (origin + Int64(stopDay) * Self.day + 10 * hour)) / 1000)
            return [
                "modelwatch_run,model=busy exit_code=0i,newest_label_age_seconds=\(busyAge)i \(asOf)",
                "modelwatch_run,model=sparse exit_code=0i,newest_label_age_seconds=\(8 * 3600)i \(asOf)",
                "modelwatch_run,model=untimed exit_code=0i \(asOf)",
            ]
        }
    }

    @Test("the stopped model fires at the first run after the stop; a model with a usual 8-hour gap and one without label times stay silent")
    func stopSeenAtNextRun() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        // Before the stop is visible (the run of the stop day, labels still fresh): silent.
        let before = try await ScenarioInflux.scratch("labels_before", lines: Self.lines(throughDay: Self.stopDay), asOfs: [])
        let quiet = try AlertEvaluationTests.outcome("mw-label-arrivals-stopped", before, at: Self.origin + Int64(Self.stopDay) * Self.day + 23 * Self.hour)
        #expect(quiet.firing.isEmpty, "\(quiet.numbers)")
        #expect(Set(quiet.evaluated.compactMap { $0["model"] }) == ["busy", "sparse"])
        // The next run (14 hours after the last label): busy fires, 14 h after the stop.
        let after = try await ScenarioInflux.scratch("labels_after", lines: Self.lines(throughDay: Self.stopDay + 1), asOfs: [])
        let next = Self.origin + Int64(Self.stopDay + 1) * Self.day + 5 * 60_000
        let outcome = try AlertEvaluationTests.outcome("mw-label-arrivals-stopped", after, at: next)
        #expect(AlertEvaluationTests.firing(outcome, by: "model") == ["busy"], "\(outcome.numbers)")
        // And keeps firing while the stop goes on (a week later the usual age still excludes the stopped days' runs
        // of the last 2 days and is dominated by the weeks before).
        let later = try await ScenarioInflux.scratch("labels_later", lines: Self.lines(throughDay: Self.stopDay + 5), asOfs: [])
        let stillFiring = try AlertEvaluationTests.outcome("mw-label-arrivals-stopped", later, at: Self.origin + Int64(Self.stopDay + 5) * Self.day + 5 * 60_000)
        #expect(AlertEvaluationTests.firing(stillFiring, by: "model") == ["busy"], "\(stillFiring.numbers)")
    }
}
