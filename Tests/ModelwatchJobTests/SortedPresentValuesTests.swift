import DriftMetrics
@testable import ModelwatchJob
import Testing

/// A window's sorted values are summarised from their runs when they have many ties; what the statistics see
/// must not change.
@Suite struct SortedPresentValuesTests {
    @Test("values with many ties become runs holding every value bit for bit; values with few stay as they are",
          arguments: [
              (values: [-3.5, -3.5, -0.0, 0.0, 0.0, -0.0, 2.0, 2.0, 2.0, 9.25], runs: true),
              (values: [1.0, 1.0, 1.0, 1.0], runs: true),
              (values: [-1.0, -0.0, 0.0, 0.5, 2.0], runs: false),
              (values: [0.25], runs: false),
              (values: [], runs: false),
          ])
    func manyTiesBecomeRuns(_ test: (values: [Double], runs: Bool)) throws {
        let result = SortedPresentValues.values(test.values).runsWhenTied()
        switch result {
        case .runs(let runs):
            #expect(test.runs)
            #expect(runs.expanded().map(\.bitPattern) == test.values.map(\.bitPattern))
            let summary = try #require(result.summary)
            let fromArray = try #require(NumericSummary(sortedFiniteValues: test.values))
            #expect(summary.mean.bitPattern == fromArray.mean.bitPattern && summary.p50.bitPattern == fromArray.p50.bitPattern)
            #expect(summary.min.bitPattern == fromArray.min.bitPattern && summary.std?.bitPattern == fromArray.std?.bitPattern)
        case .values(let values):
            #expect(!test.runs)
            #expect(values.map(\.bitPattern) == test.values.map(\.bitPattern))
        case .buffer:
            Issue.record("an array is never handed back as a buffer")
        }
    }
}
