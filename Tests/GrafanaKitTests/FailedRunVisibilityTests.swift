import Foundation
import Testing

/// A run whose writes are refused cannot report itself: its heartbeat is spooled with its points. The next
/// run replays them first and its heartbeats carry `earlier_runs_points_replayed`, so `mw-write-failures`
/// sees the failure one run interval later; a run that got through after retries reports exit 0 and an
/// empty spool, so nothing fires for it. Before that, the refused run's missing heartbeat lets the deadline of
/// the run before it pass (1.5 intervals after that run, half an interval after the refused one), which is
/// `mw-job-stopped`. The heartbeats are those `HeartbeatEndStateTests` shows the job writes.
@Suite("A failed run is seen within one run interval; a run that succeeded after retries fires nothing")
struct FailedRunVisibilityTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour
    static let origin: Int64 = 1_794_182_400_000
    static let refusedDay = 10
    static let rules = ["mw-write-failures", "mw-runs-failing", "mw-spool-growing", "mw-points-lost", "mw-job-stopped"]

    static func heartbeat(_ model: String, day: Int, exit: Int = 0, spool: Int = 0, retries: Int = 0, replayed: Int = 0, age: Int64 = 0) -> [String] {
        let asOf = origin + Int64(day) * Self.day, finished = asOf + 5 * 60_000
        return [
            "modelwatch_run,model=\(model) exit_code=\(exit)i,duration_seconds=3.0,points_rejected=0i,points_lost=0i,points_dropped_spool_full=0i,retries=\(retries)i,spool_depth_bytes=\(spool)i,earlier_runs_points_replayed=\(replayed)i,earlier_runs_oldest_age_seconds=\(age)i,finished_at_seconds=\(finished / 1000)i,expected_interval_seconds=86400i,window_seconds=86400i,run_as_of_seconds=\(asOf / 1000)i \(asOf)",
            "modelwatch_deadline,kind=deadline,model=\(model) finished_at_seconds=\(finished / 1000)i,expected_interval_seconds=86400i \(finished + 36 * hour)",
            "modelwatch_deadline,kind=as_of,model=\(model) finished_at_seconds=0i,expected_interval_seconds=86400i \(asOf)",
        ]
    }

    /// InfluxDB as it stands after the next run: "refused" wrote nothing on `refusedDay` (its heartbeat, exit 75
    /// with a full spool, arrived with the next run's replay, stamped with its own as-of time); "recovered" met
    /// 503 on its first writes that day and got through after retries.
    static func lines(throughDay last: Int) -> [String] {
        var lines: [String] = []
        for day in 1...last {
            if day == refusedDay + 1 {
                lines += heartbeat("refused", day: refusedDay, exit: 75, spool: 219_510)
                lines += heartbeat("refused", day: day, replayed: 745, age: 86_400)
            } else if day != refusedDay {
                lines += heartbeat("refused", day: day)
            }
            lines += heartbeat("recovered", day: day, retries: day == refusedDay ? 4 : 0)
        }
        return lines
    }

    static func firing(_ data: ScenarioInflux, at now: Int64) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for uid in rules {
            result[uid] = AlertEvaluationTests.firing(try AlertEvaluationTests.outcome(uid, data, at: now), by: "model")
        }
        return result
    }

    @Test("""
        the refused run is seen by mw-job-stopped half an interval later (its previous run's deadline), then by \
        mw-write-failures from the next run until the one after; the run that succeeded after retries fires nothing
        """)
    func failureSeenOneRunLater() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let refusedAt = Self.origin + Int64(Self.refusedDay) * Self.day + 5 * 60_000
        // Between the refused run and the next one, InfluxDB holds what it held before (the refused run's
        // points are in the spool). Nothing fires until the deadline of the last run that did arrive (the day
        // before, 1.5 days after its finish): then mw-job-stopped fires for the refused model, half an
        // interval after its refused run.
        let before = try await ScenarioInflux.scratch("refused_before", lines: Self.lines(throughDay: Self.refusedDay), asOfs: [])
        let quiet = try Self.firing(before, at: refusedAt + 12 * Self.hour - 60_000)
        #expect(quiet.values.allSatisfy { $0.isEmpty }, "\(quiet)")
        let overdue = try Self.firing(before, at: refusedAt + 12 * Self.hour + 60_000)
        #expect(overdue["mw-job-stopped"] == ["refused"], "\(overdue)")
        #expect(Self.rules.filter { $0 != "mw-job-stopped" }.allSatisfy { overdue[$0]?.isEmpty == true }, "\(overdue)")
        // After the next run (one interval later) and until the run after it.
        let after = try await ScenarioInflux.scratch("refused_after", lines: Self.lines(throughDay: Self.refusedDay + 1), asOfs: [])
        for offset in [Self.day + Self.hour, Self.day + 12 * Self.hour, 2 * Self.day - Self.hour] {
            let firing = try Self.firing(after, at: refusedAt + offset)
            #expect(firing["mw-write-failures"] == ["refused"], "at +\(offset / Self.hour) h: \(firing)")
            for uid in Self.rules where uid != "mw-write-failures" {
                #expect(firing[uid]?.isEmpty == true, "\(uid) at +\(offset / Self.hour) h: \(firing)")
            }
        }
        // The run after that replays nothing: resolved.
        let later = try await ScenarioInflux.scratch("refused_later", lines: Self.lines(throughDay: Self.refusedDay + 2), asOfs: [])
        let resolved = try Self.firing(later, at: refusedAt + 2 * Self.day + Self.hour)
        #expect(resolved.values.allSatisfy { $0.isEmpty }, "\(resolved)")
    }
}
