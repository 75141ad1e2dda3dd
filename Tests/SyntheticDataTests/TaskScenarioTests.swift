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
}
