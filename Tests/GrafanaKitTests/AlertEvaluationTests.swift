import Foundation
import Testing

@Suite("Alert rules evaluated on modelwatch's demo output")
struct AlertEvaluationTests {
    static func outcomes(_ demo: ScenarioInflux) throws -> [String: AlertEvaluator.Outcome] {
        let now = QueryExecutionTests.alertNow(demo)
        var outcomes: [String: AlertEvaluator.Outcome] = [:]
        for rule in Kit.rules {
            let evaluator = AlertEvaluator(rule: rule) { item in
                let from = now - Int64(item["relativeTimeRange"]?["from"]?.int ?? 0) * 1000
                let to = now - Int64(item["relativeTimeRange"]?["to"]?.int ?? 0) * 1000
                let query = try GrafanaQueryRenderer(fromMs: from, toMs: to, intervalMs: 60_000)
                    .render(item["model"]?["query"]?.string ?? "")
                return try demo.query(query)
            }
            outcomes[rule.uid] = try evaluator.evaluate()
        }
        return outcomes
    }

    /// One rule evaluated at `now` (epoch ms) on `data`.
    static func outcome(_ uid: String, _ data: ScenarioInflux, at now: Int64) throws -> AlertEvaluator.Outcome {
        guard let rule = Kit.rules.first(where: { $0.uid == uid }) else {
            throw AlertEvaluator.EvaluationError(description: "no rule \(uid)")
        }
        return try AlertEvaluator(rule: rule) { item in
            let from = now - Int64(item["relativeTimeRange"]?["from"]?.int ?? 0) * 1000
            let to = now - Int64(item["relativeTimeRange"]?["to"]?.int ?? 0) * 1000
            return try data.query(try GrafanaQueryRenderer(fromMs: from, toMs: to, intervalMs: 60_000)
                .render(item["model"]?["query"]?.string ?? ""))
        }.evaluate()
    }

    static func firing(_ outcome: AlertEvaluator.Outcome?, by key: String) -> Set<String> {
        Set((outcome?.firing ?? []).compactMap { $0[key] })
    }

    @Test("the demo's incidents fire their rules: f_num_02 drifts from day 11, f_num_04 goes missing from day 13")
    func demoIncidentsFire() async throws {
        guard let demo = try await QueryExecutionTests.demo() else { return }
        let outcomes = try Self.outcomes(demo)
        // f_num_04 drifts too, but only while modelwatch writes a PSI for an all-missing feature (its
        // missing bin); either way the missing-rate rule below is the one that must catch it.
        let drifted = Self.firing(outcomes["mw-feature-drift"], by: "feature")
        #expect(drifted.contains("f_num_02") && drifted.isSubset(of: ["f_num_02", "f_num_04"]), "\(drifted)")
        #expect(Self.firing(outcomes["mw-feature-missing-jump"], by: "feature") == ["f_num_04"])
        #expect(Self.firing(outcomes["mw-feature-drift-sustained"], by: "feature") == ["f_num_02"],
                "drifted in every window of 3 days (f_num_04 only in the last 2)")
        for outcome in [outcomes["mw-feature-drift"], outcomes["mw-feature-missing-jump"]] {
            #expect(outcome?.firing.allSatisfy { $0["model"] == "demo-model" } == true)
        }
    }

    @Test("a healthy pipeline, a fresh model and enough labels stay silent on the demo", arguments: [
        "mw-job-stopped", "mw-model-heartbeat-missing", "mw-hourly-model-silent", "mw-runs-failing", "mw-write-failures", "mw-points-lost",
        "mw-spool-growing", "mw-model-too-old", "mw-data-stale", "mw-labels-stopped", "mw-labels-late", "mw-volume-collapse", "mw-auc-below-floor",
    ])
    func healthyRulesStaySilent(uid: String) async throws {
        guard let demo = try await QueryExecutionTests.demo() else { return }
        let outcome = try #require(try Self.outcomes(demo)[uid])
        #expect(outcome.firing.isEmpty, "\(uid) fires: \(outcome.firing) \(outcome.numbers.mapValues { $0.map(\.value) })")
        #expect(!outcome.noData, "\(uid) has no data on the demo")
    }

    @Test("""
        the drift rules skip windows below minimum_samples.drift: a thin window's PSI 0.9 stays silent, a full one fires; \
        the sustained rule needs all three daily windows of 3 days sufficient and drifted
        """)
    func thinWindowsDoNotFireDrift() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let t: Int64 = 1_794_182_400_000
        let all = "model=m,segment=all,segment_value=all,version=v1"
        let day = ScenarioInflux.dayMs
        let data = try await ScenarioInflux.scratch("drift_gate", lines: [
            "modelwatch_run,model=m window_seconds=86400i,exit_code=0i \(t)",
            "modelwatch_run,model=m window_seconds=86400i,exit_code=0i \(t - day)",
            "modelwatch_run,model=m window_seconds=86400i,exit_code=0i \(t - 2 * day)",
            // The models' own limits (the defaults), as every heartbeat carries them.
            "modelwatch_run,model=m threshold_psi=0.25,threshold_ks=0.15 \(t - 2 * day)",
            "modelwatch_run,model=thin threshold_psi=0.25,threshold_ks=0.15 \(t)",
            "modelwatch_run,model=full threshold_psi=0.25,threshold_ks=0.15 \(t)",
            "modelwatch_feature,\(all),feature=thin,kind=numeric count=60i,psi=0.9,js=0.4,ks=0.3,drift_sufficient=false \(t)",
            "modelwatch_feature,\(all),feature=full,kind=numeric count=5000i,psi=0.9,js=0.4,ks=0.3,drift_sufficient=true \(t)",
            "modelwatch_feature,\(all),feature=full,kind=numeric count=5000i,psi=0.5,js=0.4,ks=0.3,drift_sufficient=true \(t - day)",
            "modelwatch_feature,\(all),feature=full,kind=numeric count=5000i,psi=0.3,js=0.4,ks=0.3,drift_sufficient=true \(t - 2 * day)",
            // Drifted in the last two windows, thin the day before: not yet three sufficient windows.
            "modelwatch_feature,\(all),feature=partly-thin,kind=numeric count=5000i,psi=0.9,js=0.4,ks=0.3,drift_sufficient=true \(t)",
            "modelwatch_feature,\(all),feature=partly-thin,kind=numeric count=5000i,psi=0.9,js=0.4,ks=0.3,drift_sufficient=true \(t - day)",
            "modelwatch_feature,\(all),feature=partly-thin,kind=numeric count=60i,psi=0.9,js=0.4,ks=0.3,drift_sufficient=false \(t - 2 * day)",
            "modelwatch_output,model=thin,segment=all,segment_value=all,version=v1 count=60i,psi=0.9,ks=0.5,drift_sufficient=false \(t)",
            "modelwatch_output,model=full,segment=all,segment_value=all,version=v1 count=5000i,psi=0.9,ks=0.5,drift_sufficient=true \(t)",
        ], asOfs: [t])
        let outcomes = try Self.outcomes(data)
        #expect(Self.firing(outcomes["mw-feature-drift"], by: "feature") == ["full", "partly-thin"], "\(outcomes["mw-feature-drift"]?.numbers ?? [:])")
        #expect(Self.firing(outcomes["mw-feature-drift-sustained"], by: "feature") == ["full"], "\(outcomes["mw-feature-drift-sustained"]?.numbers ?? [:])")
        #expect(Self.firing(outcomes["mw-score-shift"], by: "model") == ["full"])
    }

    @Test("mw-hourly-model-silent fires for an hourly model after three silent clock hours, not for daily, running or one-hour-late models")
    func hourlyModelSilentFires() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let hour: Int64 = 3_600_000
        let now: Int64 = 1_794_182_400_000 + 20 * 60_000  // 20 minutes into a clock hour; the rule is evaluated here
        let currentHour = now - now % hour
        // Heartbeats are stamped with the as-of time aligned down to the window: one stamp per hourly run.
        func beats(_ model: String, window: Int64, every step: Int64, from first: Int64, through last: Int64) -> [String] {
            (0...((last - first) / step)).map { index in
                "modelwatch_run,model=\(model) duration_seconds=1.5,exit_code=0i,window_seconds=\(window / 1000)i \(first + index * step)"
            }
        }
        let lines =
            beats("stopped", window: hour, every: hour, from: currentHour - 30 * hour, through: currentHour - 3 * hour)
            + beats("running", window: hour, every: hour, from: currentHour - 30 * hour, through: currentHour)
            + beats("late-this-hour", window: hour, every: hour, from: currentHour - 30 * hour, through: currentHour - hour)
            + beats("two-hours-silent", window: hour, every: hour, from: currentHour - 30 * hour, through: currentHour - 2 * hour)
            + beats("quarter-hourly", window: hour / 4, every: hour / 4, from: currentHour - 30 * hour, through: currentHour)
            + beats("daily", window: 24 * hour, every: 24 * hour, from: currentHour - 20 * hour - 24 * hour, through: currentHour - 20 * hour)
        let data = try await ScenarioInflux.scratch("hourly_silent", lines: Array(lines), asOfs: [now - hour])
        let outcome = try #require(try Self.outcomes(data)["mw-hourly-model-silent"])
        // "stopped" last ran three clock hours ago: the current hour and the two before it are empty.
        #expect(Self.firing(outcome, by: "model") == ["stopped"], "\(outcome.numbers)")
        #expect(!outcome.noData)
        #expect(Set((outcome.numbers["E"] ?? []).compactMap { $0.labels["model"] })
            == ["stopped", "running", "late-this-hour", "two-hours-silent", "quarter-hourly", "daily"], "every model is evaluated")
    }

    @Test("""
        mw-model-heartbeat-missing fires for a daily model 3 or 20 days behind and a weekly model 16 days behind, \
        not for a weekly model 5 days behind
        """)
    func laggingModelAgainstItsOwnWindow() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let day: Int64 = 86_400_000
        let today: Int64 = 1_794_182_400_000  // a UTC midnight; the rule is evaluated an hour later
        // As-of times are aligned down to each model's window, and heartbeats are stamped with them.
        func beat(_ model: String, window: Int64, asOf: Int64) -> String {
            "modelwatch_run,model=\(model) duration_seconds=2.0,exit_code=0i,run_as_of_seconds=\(asOf / 1000)i,window_seconds=\(window / 1000)i \(asOf)"
        }
        // (model, window in days, days behind today of each heartbeat)
        let heartbeats: [(model: String, windowDays: Int64, daysBehind: [Int64])] = [
            ("daily", 1, [0, 1, 2, 3, 4, 5]),
            ("stale-daily", 1, [3, 4, 5]),
            ("weekly", 7, [5]),
            // Beyond a 7-day query range, where the old rule neither saw them nor kept them firing.
            ("long-stale-daily", 1, [20, 21, 22, 23]),
            ("stale-weekly", 7, [16, 23]),
        ]
        var lines: [String] = []
        for heartbeat in heartbeats {
            for behind in heartbeat.daysBehind {
                lines.append(beat(heartbeat.model, window: heartbeat.windowDays * day, asOf: today - behind * day))
            }
        }
        let data = try await ScenarioInflux.scratch("lagging", lines: lines, asOfs: [today])
        let outcome = try #require(try Self.outcomes(data)["mw-model-heartbeat-missing"])
        #expect(Self.firing(outcome, by: "model") == ["stale-daily", "long-stale-daily", "stale-weekly"], "\(outcome.numbers)")
    }

    @Test("mw-data-stale fires for a model whose latest run found its newest prediction more than two windows old, not for fresh or recovered ones")
    func staleDataFires() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        let hour: Int64 = 3_600_000, day = 24 * hour
        let today: Int64 = 1_794_182_400_000  // a UTC midnight; the rule is evaluated an hour later
        func beat(_ model: String, window: Int64, age: Int64?, asOf: Int64) -> String {
            let ageField = age.map { ",newest_prediction_age_seconds=\($0 / 1000)i" } ?? ""
            return "modelwatch_run,model=\(model) exit_code=0i,window_seconds=\(window / 1000)i\(ageField) \(asOf)"
        }
        let lines = [
            // Three weeks without a prediction, daily runs still succeeding: the case of the issue.
            beat("three-weeks-stale", window: day, age: 21 * day, asOf: today - day),
            beat("three-weeks-stale", window: day, age: 22 * day, asOf: today),
            // Hourly, last prediction five hours ago.
            beat("hourly-stale", window: hour, age: 5 * hour, asOf: today),
            // Healthy: the newest prediction is inside the input window.
            beat("fresh-daily", window: day, age: 20 * 60_000, asOf: today),
            // One window behind (a late export) is not yet two windows.
            beat("one-window-late", window: day, age: day + hour, asOf: today),
            // Stale yesterday, fresh at the latest run.
            beat("recovered", window: hour, age: 9 * hour, asOf: today - hour),
            beat("recovered", window: hour, age: 30 * 60_000, asOf: today),
            // Push-down models write no age: silent.
            beat("pushdown", window: day, age: nil, asOf: today),
        ]
        let data = try await ScenarioInflux.scratch("stale_data", lines: lines, asOfs: [today])
        let outcome = try #require(try Self.outcomes(data)["mw-data-stale"])
        #expect(Self.firing(outcome, by: "model") == ["three-weeks-stale", "hourly-stale"], "\(outcome.numbers)")
        #expect(!outcome.noData)
    }

    @Test("mw-points-lost fires for a model whose latest run lost points or dropped them from a full spool, not for one that recovered")
    func pointsLostFires() throws {
        let rule = try #require(Kit.rules.first { $0.uid == "mw-points-lost" })
        // Hourly `last` values per model, oldest first, as the rule's two queries get them from InfluxDB.
        let lost: [String: [Double?]] = ["evicted": [0, 0], "unspooled": [0, 12], "recovered": [40, 0], "healthy": [0, nil, 0]]
        let dropped: [String: [Double?]] = ["evicted": [0, 300], "unspooled": [0, 0], "recovered": [7, 0], "healthy": [0, nil, 0]]
        let outcome = try AlertEvaluator(rule: rule) { item in
            let values = (item["model"]?["query"]?.string ?? "").contains("points_dropped_spool_full") ? dropped : lost
            return values.map { model, values in
                ScenarioInflux.Series(name: "modelwatch_run", tags: ["model": model], columns: ["time", "last"],
                                      rows: values.enumerated().map { [.number(Double($0.offset)), $0.element.map(Doc.number) ?? .null] })
            }
        }.evaluate()
        #expect(Set(outcome.firing.compactMap { $0["model"] }) == ["evicted", "unspooled"], "\(outcome.numbers)")
    }

    @Test("the heartbeat rule fires for every model once the job has been silent for 1.5 days, and on NoData")
    func heartbeatFiresAfterSilence() async throws {
        guard let demo = try await QueryExecutionTests.demo() else { return }
        let rule = try #require(Kit.rules.first { $0.uid == "mw-job-stopped" })
        let lastFinish = (demo.asOfs.last ?? 0) + ScenarioInflux.runDelayMs
        let before = try Self.outcome("mw-job-stopped", demo, at: lastFinish + 36 * 3_600_000 - 60_000)
        #expect(before.firing.isEmpty && !before.noData, "\(before.numbers)")
        let after = try Self.outcome("mw-job-stopped", demo, at: lastFinish + 36 * 3_600_000 + 60_000)
        #expect(Self.firing(after, by: "model") == ["demo-model"], "\(after.numbers)")
        // Nothing at all in the query range: Grafana's NoData, which this rule maps to Alerting.
        let empty = try Self.outcome("mw-job-stopped", demo, at: (demo.asOfs.last ?? 0) + 60 * ScenarioInflux.dayMs)
        #expect(empty.noData)
        #expect(rule.rule["noDataState"]?.string == "Alerting")
    }

    @Test("math expressions parse with SSE precedence", arguments: [
        ("$A - $B > 0.05", 1.0), ("$A > 0.25 || $B > 0.15", 1.0), ("$A < 0.5 * $B", 0.0), ("$A > 0 && $B >= $A", 0.0),
        ("($A - $B) * 2", 1.0),
    ])
    func mathPrecedence(expression: String, expected: Double) throws {
        let values: [String: Double] = ["A": 0.9, "B": 0.4]
        let result = try MathExpression(expression).evaluate { [([:], values[$0] ?? .nan)] }
        #expect(result.map(\.value) == [expected])
    }

    @Test("math joins a labelled series with an unlabelled one and matching label sets")
    func mathJoinsLabels() throws {
        let a: MathExpression.Numbers = [(["model": "m1"], 5), (["model": "m2"], 1)]
        let b: MathExpression.Numbers = [([:], 3)]
        let result = try MathExpression("$B - $A > 1").evaluate { $0 == "A" ? a : b }
        #expect(result.map(\.labels) == [["model": "m1"], ["model": "m2"]])
        #expect(result.map(\.value) == [0, 1])
    }
}
