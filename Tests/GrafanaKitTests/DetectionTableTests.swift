import Foundation
import Testing

/// The incident × rule detection table: how long after an incident begins each rule fires, measured on the data the
/// other suites use (the generator's 30-day presets as modelwatch wrote them, and the hand-written heartbeats and
/// label arrivals of the pipeline tests), with each rule's pending period added. Printed, and written to the file
/// `MODELWATCH_DETECTION_TABLE` names (docs/grafana.md holds a copy). Part of the slow scenario suite:
/// `MODELWATCH_SKIP_SCENARIOS=1` skips it.
@Suite("Incident × rule detection delays",
       .enabled(if: ProcessInfo.processInfo.environment["MODELWATCH_SKIP_SCENARIOS"] != "1", "MODELWATCH_SKIP_SCENARIOS=1"))
struct DetectionTableTests {
    static let minute: Int64 = 60_000
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour

    struct Row {
        let incident: String
        let rule: String
        /// From the incident's start to firing (its pending period included).
        let delayMs: Int64
        let note: String
    }

    static func pending(_ uid: String) -> Int64 {
        let rule = Kit.rules.first { $0.uid == uid }
        return Int64(Durations.seconds(rule?.rule["for"]?.string ?? "0s") ?? 0) * 1000
    }

    static func text(_ ms: Int64) -> String {
        let minutes = ms / minute
        let days = minutes / 1440, hours = minutes % 1440 / 60, rest = minutes % 60
        return [days > 0 ? "\(days) d" : nil, hours > 0 ? "\(hours) h" : nil, rest > 0 || minutes == 0 ? "\(rest) min" : nil]
            .compactMap { $0 }.joined(separator: " ")
    }

    /// The 30-day presets: the incident starts at the first instant of day 25; InfluxDB holds what the runs up to
    /// each daily run had written, and the rules are evaluated one minute after that run finished.
    static func presetRows() async throws -> [Row] {
        var rows: [Row] = []
        let scenarios = ScenarioAlertTests.incidents.map(\.scenario).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for scenario in scenarios {
            let data = try await ScenarioInflux.scenario(.thirtyDays(scenario))
            let start = data.asOfs[0] - Int64(ScenarioInflux.Recipe.presetDays[0]) * ScenarioInflux.dayMs
            let incidentStart = start + 24 * Self.day
            var waiting = ScenarioAlertTests.incidents.filter { $0.scenario == scenario }
            for (index, asOf) in data.asOfs.enumerated() where asOf > incidentStart && !waiting.isEmpty {
                let now = asOf + ScenarioInflux.runDelayMs + Self.minute
                let written = try await ScenarioInflux.scratch(
                    "detect_\(scenario.replacingOccurrences(of: "-", with: "_"))", lines: data.runTexts[...index].flatMap { $0.split(separator: "\n").map(String.init) }, asOfs: [])
                for incident in waiting {
                    let outcome = try AlertEvaluationTests.outcome(incident.rule, written, at: now)
                    if outcome.firing.contains(where: { $0[incident.label] == incident.value }) {
                        rows.append(Row(incident: scenario, rule: incident.rule, delayMs: now - incidentStart + pending(incident.rule),
                                        note: "daily runs; run of \(ScenarioInflux.rfc3339(asOf).prefix(10))"))
                    }
                }
                waiting.removeAll { incident in rows.contains { $0.incident == scenario && $0.rule == incident.rule } }
            }
            for incident in waiting {
                rows.append(Row(incident: scenario, rule: incident.rule, delayMs: -1, note: "not detected by day 30"))
            }
        }
        return rows
    }

    /// `mw-job-stopped` for the hourly, daily and weekly heartbeats of ``DeadMansSwitchTests``: from the time the
    /// first missed run should have finished, stepping through the minutes after it.
    static func jobStoppedRows() async throws -> [Row] {
        guard let data = try await DeadMansSwitchTests.data() else { return [] }
        var rows: [Row] = []
        for schedule in DeadMansSwitchTests.schedules {
            let missed = schedule.lastFinish + schedule.intervalMs
            let step = max(Self.minute, schedule.intervalMs / 240)
            var now = missed
            while !(try DeadMansSwitchTests.firing(data, at: now)).contains(schedule.model), now < missed + 2 * schedule.intervalMs {
                now += step
            }
            rows.append(Row(incident: "job stops (\(schedule.model), interval \(text(schedule.intervalMs)))", rule: "mw-job-stopped",
                            delayMs: now - missed + pending("mw-job-stopped"), note: "from the first missed run; step \(text(step))"))
        }
        return rows
    }

    /// A daily run whose writes are refused (``FailedRunVisibilityTests``): from the refused run's finish.
    static func refusedRunRows() async throws -> [Row] {
        typealias F = FailedRunVisibilityTests
        let refusedAt = F.origin + Int64(F.refusedDay) * F.day + 5 * Self.minute
        let before = try await ScenarioInflux.scratch("detect_refused_before", lines: F.lines(throughDay: F.refusedDay), asOfs: [])
        var now = refusedAt
        while try !(F.firing(before, at: now)["mw-job-stopped"] ?? []).contains("refused"), now < refusedAt + F.day {
            now += 10 * Self.minute
        }
        var rows = [Row(incident: "a daily run's writes are refused", rule: "mw-job-stopped", delayMs: now - refusedAt + pending("mw-job-stopped"),
                        note: "its heartbeat is spooled; the previous run's deadline passes")]
        let after = try await ScenarioInflux.scratch("detect_refused_after", lines: F.lines(throughDay: F.refusedDay + 1), asOfs: [])
        let nextRun = refusedAt + F.day + Self.minute
        let seen = try F.firing(after, at: nextRun)["mw-write-failures"]?.contains("refused") == true
        rows.append(Row(incident: "a daily run's writes are refused", rule: "mw-write-failures", delayMs: seen ? nextRun - refusedAt + pending("mw-write-failures") : -1,
                        note: "the next run replays the spool"))
        return rows
    }

    @Test("every incident is detected by its rule; the table of delays")
    func detectionTable() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        var rows = try await Self.presetRows()
        rows += try await Self.jobStoppedRows()
        rows += try await Self.refusedRunRows()
        rows += try await TaskScenarioAlertTests.detectionRows()
        let slowdown = try await LabelSlowdownTests.firstFiring()
        for (model, description) in [("hourly-slowdown", "labels slow to 10% (hourly model)"), ("hourly-stop", "labels stop (hourly model)"),
                                     ("daily-slowdown", "labels slow to 10% (daily model)")] {
            rows.append(Row(incident: description, rule: "mw-label-arrivals-slowdown",
                            delayMs: (slowdown[model].map { Int64($0) * Self.hour + 6 * Self.minute } ?? -1) + Self.pending("mw-label-arrivals-slowdown"),
                            note: "hand-written arrivals, evaluated hourly"))
        }
        for row in rows {
            #expect(row.delayMs >= 0, "\(row.incident): \(row.rule) \(row.note)")
        }
        var table = "| Incident | Rule | Detected after | How |\n|---|---|---|---|\n"
        for row in rows {
            table += "| \(row.incident) | `\(row.rule)` | \(row.delayMs < 0 ? "—" : Self.text(row.delayMs)) | \(row.note) |\n"
        }
        print(table)
        if let path = ProcessInfo.processInfo.environment["MODELWATCH_DETECTION_TABLE"], !path.isEmpty {
            try table.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
