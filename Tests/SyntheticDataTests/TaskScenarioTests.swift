import SyntheticData
import Testing

/// The regression and multiclass scenarios: deterministic, well-formed, and their incidents show in the rows.
@Suite struct TaskScenarioTests {
    static let start: Int64 = 1_790_812_800_000
    static let incident = start + 2 * 86_400_000

    struct Rows {
        var scores: [[String]] = []
        var labels: [String: String] = [:]
        var scoreBytes: [UInt8] = []
        var header: [String] = []

        init(_ scenario: TaskScenario) {
            var labelBytes: [UInt8] = []
            var scoreBytes: [UInt8] = []
            _ = scenario.generate(scores: { scoreBytes += $0 }, labels: { labelBytes += $0 })
            self.scoreBytes = scoreBytes
            let scoreLines = String(decoding: scoreBytes, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            header = scoreLines[0]
            scores = Array(scoreLines.dropFirst())
            for line in String(decoding: labelBytes, as: UTF8.self).split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",").map(String.init)
                labels[cells[0]] = cells[1]
            }
        }

        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        /// Rows before and after the incident (ISO times compare as text).
        func split() -> (before: [[String]], after: [[String]]) {
            let cut = "2026-10-03T00:00:00.000Z"
            return (scores.filter { $0[1] < cut }, scores.filter { $0[1] >= cut })
        }
    }

    static func scenario(_ kind: TaskScenario.Kind, seed: UInt64 = 5) -> TaskScenario {
        TaskScenario(kind: kind, seed: seed, startMs: start, days: 3, predictionsPerHour: 60, incidentStartMs: incident)
    }

    @Test("the same scenario gives the same bytes; another seed other bytes", arguments: TaskScenario.Kind.allCases)
    func deterministic(kind: TaskScenario.Kind) {
        #expect(Rows(Self.scenario(kind)).scoreBytes == Rows(Self.scenario(kind)).scoreBytes)
        #expect(Rows(Self.scenario(kind)).scoreBytes != Rows(Self.scenario(kind, seed: 6)).scoreBytes)
    }

    @Test("regression: from the incident on, predictions are biased about 8 minutes high")
    func regressionBias() {
        let rows = Rows(Self.scenario(.regression))
        let (before, after) = rows.split()
        func bias(_ part: [[String]]) -> Double {
            let errors = part.compactMap { row in rows.labels[row[0]].map { Double(row[2])! - Double($0)! } }
            return errors.reduce(0, +) / Double(errors.count)
        }
        #expect(abs(bias(before)) < 1)
        #expect(abs(bias(after) - 8) < 1.5, "bias after \(bias(after))")
    }

    @Test("multiclass: probabilities sum to 1 and rank the prediction first; from the incident on, returns are predicted as shipping")
    func multiclassConfusion() {
        let rows = Rows(Self.scenario(.multiclass))
        let probabilities = TaskScenario.ticketClasses.map { rows.column("p_\($0)") }
        for row in rows.scores {
            let p = probabilities.map { Double(row[$0])! }
            #expect(abs(p.reduce(0, +) - 1) < 1e-9)
            #expect(p.max() == p[TaskScenario.ticketClasses.firstIndex(of: row[2])!])
        }
        let (before, after) = rows.split()
        func returnsAsShipping(_ part: [[String]]) -> Double {
            let returns = part.filter { rows.labels[$0[0]] == "returns" }
            return Double(returns.count { $0[2] == "shipping" }) / Double(returns.count)
        }
        #expect(returnsAsShipping(before) < 0.15)
        #expect(returnsAsShipping(after) > 0.5)
    }

    static func scenario(_ kind: TaskScenario.Kind, _ incident: TaskScenario.Incident?, healthy: Bool = false) -> TaskScenario {
        // Six days, four of them after the incident: enough labelled rows of the rarest class for the shares below.
        TaskScenario(kind: kind, seed: 5, startMs: start, days: 6, predictionsPerHour: 60, incidentStartMs: healthy ? nil : Self.incident,
                     incident: incident)
    }

    /// Mean error (prediction − target), MAE and mean distance of labelled regression rows.
    static func regressionStats(_ rows: Rows, _ part: [[String]]) -> (bias: Double, mae: Double, distance: Double, target: Double) {
        let pairs = part.compactMap { row in rows.labels[row[0]].map { (Double(row[2])!, Double($0)!, Double(row[rows.column("distance_km")])!) } }
        let count = Double(pairs.count)
        return (pairs.map { $0.0 - $0.1 }.reduce(0, +) / count, pairs.map { abs($0.0 - $0.1) }.reduce(0, +) / count,
                pairs.map(\.2).reduce(0, +) / count, pairs.map(\.1).reduce(0, +) / count)
    }

    @Test("regression, noise 4 → 10 minutes: MAE about 6 → 9, still unbiased")
    func regressionVariance() {
        let rows = Rows(Self.scenario(.regression, .variance))
        let (before, after) = rows.split()
        let (old, new) = (Self.regressionStats(rows, before), Self.regressionStats(rows, after))
        #expect(abs(old.mae - 5.75) < 0.5 && abs(new.mae - 9.3) < 0.8, "MAE \(old.mae) → \(new.mae)")
        #expect(abs(new.bias) < 1, "bias \(new.bias)")
    }

    @Test("regression label drift: distances and targets rise (mean distance 6.5 → 11 km), the error does not")
    func regressionLabelDrift() {
        let rows = Rows(Self.scenario(.regression, .labelDrift))
        let (before, after) = rows.split()
        let (old, new) = (Self.regressionStats(rows, before), Self.regressionStats(rows, after))
        #expect(abs(old.distance - 6.5) < 0.5 && abs(new.distance - 11) < 0.5, "distance \(old.distance) → \(new.distance)")
        #expect(new.target - old.target > 8, "target \(old.target) → \(new.target)")
        #expect(abs(new.mae - old.mae) < 0.6 && abs(new.bias) < 1, "MAE \(old.mae) → \(new.mae), bias \(new.bias)")
    }

    /// Share of the rows of true class `truth` predicted as `predicted`.
    static func share(_ rows: Rows, _ part: [[String]], truth: String, predicted: String) -> Double {
        let ofClass = part.filter { rows.labels[$0[0]] == truth }
        return Double(ofClass.count { $0[2] == predicted }) / Double(ofClass.count)
    }

    @Test("multiclass class collapse: technical tickets are almost never predicted as technical, but as billing")
    func multiclassClassCollapse() {
        let rows = Rows(Self.scenario(.multiclass, .classCollapse))
        let (before, after) = rows.split()
        #expect(Self.share(rows, before, truth: "technical", predicted: "technical") > 0.8)
        #expect(Self.share(rows, after, truth: "technical", predicted: "technical") < 0.2)
        #expect(Self.share(rows, after, truth: "technical", predicted: "billing") > 0.7)
        #expect(Double(after.count { $0[2] == "technical" }) / Double(after.count) < 0.02, "technical is hardly predicted at all")
        #expect(Self.share(rows, after, truth: "returns", predicted: "returns") > 0.8, "the other classes keep their recall")
    }

    @Test("multiclass label drift: the class mix goes from 40/30/20/10 to 20/30/20/30, each class recognised as before")
    func multiclassLabelDrift() {
        let rows = Rows(Self.scenario(.multiclass, .labelDrift))
        let (before, after) = rows.split()
        func mix(_ part: [[String]]) -> [Double] {
            let labelled = part.compactMap { rows.labels[$0[0]] }
            return TaskScenario.ticketClasses.map { name in Double(labelled.count { $0 == name }) / Double(labelled.count) }
        }
        for (observed, expected) in zip(mix(before), [0.4, 0.3, 0.2, 0.1]) { #expect(abs(observed - expected) < 0.04, "\(mix(before))") }
        for (observed, expected) in zip(mix(after), [0.2, 0.3, 0.2, 0.3]) { #expect(abs(observed - expected) < 0.04, "\(mix(after))") }
        for name in TaskScenario.ticketClasses {
            #expect(Self.share(rows, after, truth: name, predicted: name) > 0.8, "\(name)")
        }
    }

    @Test("without an incident start every incident's scenario is the healthy one, byte for byte", arguments: TaskScenario.Incident.allCases)
    func healthyIgnoresTheIncident(incident: TaskScenario.Incident) {
        for kind in incident.kinds {
            #expect(Rows(Self.scenario(kind, incident, healthy: true)).scoreBytes == Rows(Self.scenario(kind, nil, healthy: true)).scoreBytes)
        }
    }

    @Test("the calendar presets: a healthy one per kind and one per incident, each 30 days with the incident from day 25", arguments: [
        ("regression", TaskScenario.Kind.regression, TaskScenario.Incident.bias, true),
        ("regression-healthy", .regression, .bias, false),
        ("regression-variance", .regression, .variance, true),
        ("regression-label-drift", .regression, .labelDrift, true),
        ("multiclass", .multiclass, .confusion, true),
        ("multiclass-healthy", .multiclass, .confusion, false),
        ("multiclass-class-collapse", .multiclass, .classCollapse, true),
        ("multiclass-label-drift", .multiclass, .labelDrift, true),
    ])
    func presets(name: String, kind: TaskScenario.Kind, incident: TaskScenario.Incident, hasIncident: Bool) throws {
        let preset = try #require(TaskScenario.named(name))
        #expect(preset.kind == kind && preset.days == 30 && preset.seed == 42)
        #expect(preset.incidentStartMs == (hasIncident ? ScenarioConfig.presetIncidentStartMs : nil))
        if hasIncident { #expect(preset.incident == incident) }
        #expect(TaskScenario.presetNames.contains(name))
    }

    @Test("names that are no preset are refused", arguments: ["regression-confusion", "multiclass-bias", "regression-", "healthy-regression", "label-drift"])
    func unknownPresets(name: String) {
        #expect(TaskScenario.named(name) == nil)
    }
}
