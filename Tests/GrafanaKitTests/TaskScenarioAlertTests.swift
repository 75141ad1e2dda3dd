import Foundation
import Testing

/// The regression and multiclass rules on the generator's 30-day calendars, replayed run by run: after each daily
/// run, InfluxDB holds exactly what the runs up to it wrote (later restatements not yet), and the five task rules are
/// evaluated one minute after that run finished (``ScenarioInflux/runDelayMs``), as ``DetectionTableTests`` does for
/// the binary presets. Every incident starts at the first instant of day 25 and fires the rules that exist for it,
/// and only those; the healthy calendars fire no rule at all on any of their 30 days. Part of the slow scenario
/// suite: `MODELWATCH_SKIP_SCENARIOS=1` skips it.
@Suite("Task rules on the generator's 30-day calendars",
       .enabled(if: ProcessInfo.processInfo.environment["MODELWATCH_SKIP_SCENARIOS"] != "1", "MODELWATCH_SKIP_SCENARIOS=1"))
struct TaskScenarioAlertTests {
    static let minute: Int64 = 60_000

    /// A rule instance the calendar's incident must fire: the model is the calendar, plus a class for per-class rules.
    struct Expected: Sendable, Hashable, CustomTestStringConvertible {
        let calendar: String
        let rule: String
        var taskClass: String? = nil
        var testDescription: String { "\(calendar) fires \(rule)" + (taskClass.map { " for class=\($0)" } ?? "") }
    }

    static let expected: [Expected] = [
        // 8 minutes of bias: MAE about 6 → 9, over the model's alert_thresholds.mae of 8 and 50% over its baseline.
        Expected(calendar: "regression", rule: "mw-regression-mae-high"),
        Expected(calendar: "regression", rule: "mw-regression-mae-rise"),
        // Noise 4 → 10 minutes, unbiased: the same MAE rules, without any bias to see.
        Expected(calendar: "regression-variance", rule: "mw-regression-mae-high"),
        Expected(calendar: "regression-variance", rule: "mw-regression-mae-rise"),
        // Longer deliveries that the model predicts as well as before: the target drifts, the error does not.
        Expected(calendar: "regression-label-drift", rule: "mw-label-drift"),
        Expected(calendar: "multiclass", rule: "mw-multiclass-quality-drop"),
        Expected(calendar: "multiclass", rule: "mw-class-recall-collapse", taskClass: "returns"),
        Expected(calendar: "multiclass-class-collapse", rule: "mw-class-recall-collapse", taskClass: "technical"),
        Expected(calendar: "multiclass-class-collapse", rule: "mw-multiclass-quality-drop"),
        // The class mix changes, each class is recognised as well as before: label drift and nothing else.
        Expected(calendar: "multiclass-label-drift", rule: "mw-label-drift"),
    ]

    static let healthyCalendars = ["regression-healthy", "multiclass-healthy"]
    static let incidentCalendars = ["regression", "regression-variance", "regression-label-drift",
                                    "multiclass", "multiclass-class-collapse", "multiclass-label-drift"]

    /// One replayed daily run: when it ran, when the rules were evaluated, and what each task rule's condition gave.
    struct Step: Sendable {
        let asOf: Int64
        let now: Int64
        /// Firing instances by rule uid, as "model" or "model/class".
        let firing: [String: Set<String>]
        /// Evaluated instances by rule uid, the same way.
        let evaluated: [String: Set<String>]
        /// Each rule's expression values by refId, for the margins.
        var numbers: [String: [String: [(labels: [String: String], value: Double)]]] = [:]

        /// The largest value that rule `uid` compares with its threshold, over its instances: the latest MAE, the MAE
        /// rise, the larger drop of macro-F1 and accuracy, a class's recall drop, the label PSI.
        func compared(_ uid: String) -> Double? {
            let values = numbers[uid] ?? [:]
            func drops(_ baseline: String, _ latest: String) -> [Double] {
                (values[baseline] ?? []).compactMap { base in (values[latest] ?? []).first { $0.labels == base.labels }.map { base.value - $0.value } }
            }
            switch uid {
            case "mw-regression-mae-high", "mw-label-drift": return values["B"]?.map(\.value).max()
            case "mw-regression-mae-rise", "mw-class-recall-collapse": return values["E"]?.map(\.value).max()
            case "mw-multiclass-quality-drop": return (drops("D", "C") + drops("J", "I")).max()
            default: return nil
            }
        }
    }

    static func key(_ labels: [String: String]) -> String {
        (labels["model"] ?? "?") + (labels["class"].map { "/\($0)" } ?? "")
    }

    /// Replays `recipe`'s runs (its scenarios' runs of the same day together) into a fresh database on the shared
    /// server and evaluates `rules` after each; cached per recipe for the suite.
    static func replay(_ recipe: ScenarioInflux.Recipe, rules: [String] = TaskAlertTests.rules) async throws -> [Step]? {
        guard let data = try await QueryExecutionTests.load(recipe) else { return nil }
        return try await Replays.shared.get(recipe.name) {
            let days = recipe.runDays.count
            let scenarios = [recipe.scenario] + recipe.alsoScenarios
            func lines(_ step: Int) -> [String] {
                scenarios.indices.flatMap { data.runTexts[$0 * days + step].split(separator: "\n").map(String.init) }
            }
            let database = try await ScenarioInflux.scratch("replay_" + recipe.name.replacingOccurrences(of: "-", with: "_"),
                                                            lines: lines(0), asOfs: data.asOfs)
            var steps: [Step] = []
            for (index, asOf) in data.asOfs.enumerated() {
                if index > 0 { try database.append(lines(index)) }
                let now = asOf + ScenarioInflux.runDelayMs + Self.minute
                var firing: [String: Set<String>] = [:], evaluated: [String: Set<String>] = [:]
                var numbers: [String: [String: [(labels: [String: String], value: Double)]]] = [:]
                for uid in rules {
                    let outcome = try AlertEvaluationTests.outcome(uid, database, at: now)
                    firing[uid] = Set(outcome.firing.map(Self.key))
                    evaluated[uid] = Set(outcome.evaluated.map(Self.key))
                    numbers[uid] = outcome.numbers
                }
                steps.append(Step(asOf: asOf, now: now, firing: firing, evaluated: evaluated, numbers: numbers))
            }
            return steps
        }
    }

    /// The six incident calendars replayed together: ``ScenarioInflux/Recipe/tasks`` (`regression`, `multiclass`, shared
    /// with ``TaskAlertTests``) and ``ScenarioInflux/Recipe/taskIncidents``, whose runs have the same days.
    static func incidentSteps() async throws -> [Step]? {
        guard let first = try await replay(.tasks), let second = try await replay(.taskIncidents) else { return nil }
        precondition(first.map(\.asOf) == second.map(\.asOf), "the incident recipes run on the same days")
        return zip(first, second).map { one, other in
            Step(asOf: one.asOf, now: one.now, firing: one.firing.merging(other.firing) { $0.union($1) },
                 evaluated: one.evaluated.merging(other.evaluated) { $0.union($1) })
        }
    }

    /// The instant the incidents start: day 25 of the calendars (the first run day is day `runDays[0]`).
    static func incidentStart(_ steps: [Step]) -> Int64 {
        steps[0].asOf - Int64(ScenarioInflux.Recipe.taskIncidents.runDays[0]) * ScenarioInflux.dayMs + 24 * ScenarioInflux.dayMs
    }

    static func instance(_ expected: Expected) -> String { expected.calendar + (expected.taskClass.map { "/\($0)" } ?? "") }

    @Test("a healthy 30-day calendar fires no task rule after any daily run, and every task rule evaluates it")
    func healthyCalendarsAreSilent() async throws {
        guard let steps = try await Self.replay(.taskHealthy) else { return }
        #expect(steps.count == 30)
        for step in steps {
            for (uid, firing) in step.firing.sorted(by: { $0.key < $1.key }) {
                #expect(firing.isEmpty, "\(uid) fires on healthy data after the run of \(ScenarioInflux.rfc3339(step.asOf)): \(firing.sorted())")
            }
        }
        // The margins: the largest value each rule compared with its threshold over the 30 runs (printed for docs/grafana.md).
        for uid in TaskAlertTests.rules {
            let largest = steps.compactMap { $0.compared(uid) }.max()
            print("healthy calendars: \(uid) compared at most \(largest.map { String(format: "%.4f", $0) } ?? "nothing")")
        }
        let last = try #require(steps.last)
        for uid in TaskAlertTests.rules {
            let models = Set(last.evaluated[uid, default: []].map { $0.split(separator: "/")[0] })
            let owners = uid.contains("regression") ? ["regression-healthy"] : uid == "mw-label-drift" ? Self.healthyCalendars : ["multiclass-healthy"]
            #expect(models == Set(owners.map { Substring($0) }), "\(uid) evaluates \(models.sorted())")
        }
    }

    @Test("on the last day of the healthy calendars no rule of the kit fires (input, output, pipeline and binary rules included)")
    func healthyCalendarsFireNoRuleAtAll() async throws {
        guard let data = try await QueryExecutionTests.load(.taskHealthy) else { return }
        let now = (data.asOfs.last ?? 0) + ScenarioInflux.runDelayMs + Self.minute
        for rule in Kit.rules {
            let outcome = try AlertEvaluationTests.outcome(rule.uid, data, at: now)
            #expect(outcome.firing.isEmpty, "\(rule.uid) fires: \(outcome.firing) \(outcome.numbers.mapValues { $0.map(\.value) })")
        }
    }

    @Test("each incident fires its rule on a daily run after the incident starts", arguments: expected)
    func incidentFiresItsRule(expected: Expected) async throws {
        guard let steps = try await Self.incidentSteps() else { return }
        let start = Self.incidentStart(steps)
        let fired = steps.filter { $0.firing[expected.rule, default: []].contains(Self.instance(expected)) }
        #expect(!fired.isEmpty, "never fires; evaluated: \(steps.last?.evaluated[expected.rule] ?? [])")
        #expect(fired.allSatisfy { $0.asOf > start }, "fires before the incident: \(fired.map { ScenarioInflux.rfc3339($0.asOf) })")
    }

    @Test("an incident calendar fires only the task rules of its incident, and none before day 25", arguments: incidentCalendars)
    func incidentFiresNothingElse(calendar: String) async throws {
        guard let steps = try await Self.incidentSteps() else { return }
        let start = Self.incidentStart(steps)
        let allowed = Set(Self.expected.filter { $0.calendar == calendar }.map { "\($0.rule) \(Self.instance($0))" })
        for step in steps {
            let firing = step.firing.flatMap { uid, keys in keys.filter { $0 == calendar || $0.hasPrefix(calendar + "/") }.map { "\(uid) \($0)" } }
            let unexpected = step.asOf > start ? Set(firing).subtracting(allowed) : Set(firing)
            #expect(unexpected.isEmpty, "after the run of \(ScenarioInflux.rfc3339(step.asOf)): \(unexpected.sorted())")
        }
    }

    /// The detection table's rows: from the incident's start to the first evaluation after a daily run that fires the
    /// instance, plus the rule's pending period.
    static func detectionRows() async throws -> [DetectionTableTests.Row] {
        guard let steps = try await incidentSteps() else { return [] }
        let start = incidentStart(steps)
        return expected.map { expected in
            let first = steps.first { $0.asOf > start && $0.firing[expected.rule, default: []].contains(instance(expected)) }
            let incident = "\(expected.calendar) (\(TaskScenarioAlertTests.incidentText[expected.calendar] ?? ""))"
            guard let first else { return DetectionTableTests.Row(incident: incident, rule: expected.rule, delayMs: -1, note: "not detected by day 30") }
            return DetectionTableTests.Row(incident: incident, rule: expected.rule,
                                           delayMs: first.now - start + DetectionTableTests.pending(expected.rule),
                                           note: "daily runs; run of \(ScenarioInflux.rfc3339(first.asOf).prefix(10))"
                                               + (expected.taskClass.map { ", class \($0)" } ?? ""))
        }
    }

    @Test("the task incidents' detection delays (their rows of the detection table)")
    func detectionDelays() async throws {
        let rows = try await Self.detectionRows()
        for row in rows {
            #expect(row.delayMs >= 0, "\(row.incident): \(row.rule) \(row.note)")
            print("| \(row.incident) | `\(row.rule)` | \(row.delayMs < 0 ? "—" : DetectionTableTests.text(row.delayMs)) | \(row.note) |")
        }
    }

    static let incidentText = [
        "regression": "predictions 8 min too high", "regression-variance": "prediction noise 4 → 10 min",
        "regression-label-drift": "longer deliveries, model keeps up", "multiclass": "returns predicted as shipping",
        "multiclass-class-collapse": "technical no longer predicted", "multiclass-label-drift": "class mix 40/30/20/10 → 20/30/20/30",
    ]
}

extension ScenarioInflux.Recipe {
    /// The healthy regression and multiclass calendars (models `regression-healthy` and `multiclass-healthy`), run
    /// every day of their 30 days at 60 predictions an hour.
    static let taskHealthy = ScenarioInflux.Recipe(scenario: "regression-healthy", rate: 60, runDays: Array(1...30),
                                                   alsoScenarios: ["multiclass-healthy"])

    /// The incident calendars besides ``tasks``'s two (each model named after its scenario), run on the days of
    /// ``tasks``: days 8 and 14 write the baselines, days 20 to 30 the days around the incident (day 25).
    static let taskIncidents = ScenarioInflux.Recipe(
        scenario: "regression-variance", rate: 60, runDays: ScenarioInflux.Recipe.tasks.runDays,
        alsoScenarios: ["regression-label-drift", "multiclass-class-collapse", "multiclass-label-drift"])
}

extension ScenarioInflux {
    /// Writes more line protocol (ms timestamps) into this database.
    func append(_ lines: [String]) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(database)-\(UUID().uuidString.prefix(8)).lp")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.checkedCurl(["-XPOST", "\(url)/write?db=\(database)&precision=ms", "--data-binary", "@\(file.path)"], expect: "204")
    }
}

/// The replays of the suite, computed once per recipe.
private actor Replays {
    static let shared = Replays()
    private var steps: [String: Task<[TaskScenarioAlertTests.Step], any Error>] = [:]

    func get(_ name: String, _ make: @escaping @Sendable () async throws -> [TaskScenarioAlertTests.Step]) async throws -> [TaskScenarioAlertTests.Step] {
        if let task = steps[name] { return try await task.value }
        let task = Task { try await make() }
        steps[name] = task
        return try await task.value
    }
}
