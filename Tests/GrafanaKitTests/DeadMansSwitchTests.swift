import Foundation
import Testing

/// `mw-job-stopped` as a dead-man's switch: each run writes a `modelwatch_deadline` point 1.5 expected intervals
/// after its wall-clock finish, and the rule fires once the deadline of a model's latest run has passed. The
/// heartbeats below are those the job writes (stamped with the as-of time aligned down to the window; the
/// deadline and its floor row as in `JobRunner.heartbeatLine`), for an hourly, a daily and a weekly model whose
/// runs finish at different minutes of their period.
@Suite("mw-job-stopped is a dead-man's switch right for any schedule")
struct DeadMansSwitchTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour
    static let origin: Int64 = 1_794_182_400_000  // a Monday, 00:00 UTC

    struct Schedule: Sendable, CustomTestStringConvertible {
        let model: String
        let intervalMs: Int64
        /// How long after its as-of time each run finishes (the cron minute plus the run time).
        let finishDelayMs: Int64
        let runs: Int
        var testDescription: String { model }
        /// Finish time of the last run.
        var lastFinish: Int64 { Self.asOf(runs - 1, intervalMs) + finishDelayMs }
        static func asOf(_ index: Int, _ intervalMs: Int64) -> Int64 { origin + Int64(index) * intervalMs }

        func lines() -> [String] {
            (0..<runs).flatMap { index -> [String] in
                let asOf = Self.asOf(index, intervalMs), finished = asOf + finishDelayMs
                let interval = intervalMs / 1000
                return [
                    "modelwatch_run,model=\(model) exit_code=0i,duration_seconds=1.0,finished_at_seconds=\(finished / 1000)i,expected_interval_seconds=\(interval)i,window_seconds=\(interval)i,run_as_of_seconds=\(asOf / 1000)i \(asOf)",
                    "modelwatch_deadline,kind=deadline,model=\(model) finished_at_seconds=\(finished / 1000)i,expected_interval_seconds=\(interval)i \(finished + intervalMs * 3 / 2)",
                    "modelwatch_deadline,kind=as_of,model=\(model) finished_at_seconds=0i,expected_interval_seconds=\(interval)i \(asOf)",
                ]
            }
        }
    }

    /// Each model ran `runs` times and then stopped; all stop within the same fortnight.
    static let schedules: [Schedule] = [
        Schedule(model: "hourly", intervalMs: hour, finishDelayMs: 52 * 60_000, runs: 24 * 20),
        Schedule(model: "daily-late-cron", intervalMs: day, finishDelayMs: 23 * hour + 50 * 60_000, runs: 20),
        Schedule(model: "daily", intervalMs: day, finishDelayMs: 5 * 60_000, runs: 20),
        Schedule(model: "weekly", intervalMs: 7 * day, finishDelayMs: 2 * day, runs: 3),
    ]

    static func data() async throws -> ScenarioInflux? {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return nil }
        return try await ScenarioInflux.scratch("deadman", lines: schedules.flatMap { $0.lines() }, asOfs: [])
    }

    static func firing(_ data: ScenarioInflux, at now: Int64) throws -> Set<String> {
        let outcome = try AlertEvaluationTests.outcome("mw-job-stopped", data, at: now)
        #expect(!outcome.noData)
        return AlertEvaluationTests.firing(outcome, by: "model")
    }

    @Test("silent while each model runs, at any minute between its runs", arguments: schedules)
    func silentWhileRunning(schedule: Schedule) async throws {
        guard let data = try await Self.data() else { return }
        // Twelve instants spread over the second-to-last period, the last one just before the last run finished.
        let start = schedule.lastFinish - schedule.intervalMs
        for step in 0..<12 {
            let now = start + schedule.intervalMs * Int64(step) / 12
            #expect(!(try Self.firing(data, at: now)).contains(schedule.model), "fired at +\((now - start) / 60_000) min")
        }
        // After the last run, until its deadline: a run may be late by half an interval.
        #expect(!(try Self.firing(data, at: schedule.lastFinish + schedule.intervalMs * 3 / 2 - 60_000)).contains(schedule.model))
    }

    @Test("fires 1.5 expected intervals after the last run finished", arguments: schedules)
    func firesAfterTheDeadline(schedule: Schedule) async throws {
        guard let data = try await Self.data() else { return }
        let deadline = schedule.lastFinish + schedule.intervalMs * 3 / 2
        #expect(try Self.firing(data, at: deadline + 60_000).contains(schedule.model))
        // And keeps firing, ten intervals or two weeks later.
        #expect(try Self.firing(data, at: deadline + min(10 * schedule.intervalMs, 14 * Self.day)).contains(schedule.model))
    }
}
