import PerformanceMetrics
import Testing

@Suite("Top-k: k = ceil(fraction · n), ties at the cut-off included")
struct TopKTests {
    @Test("tied scores at the cut-off are all selected")
    func tiesAtCutoffAreSelected() throws {
        // Reference doc §2.3: s=[.9,.8,.8,.8,.3,...], n=10, top 20% → k=2; ties included → 4 rows, precision 0.75.
        let scores = [0.9, 0.8, 0.8, 0.8, 0.3, 0.2, 0.2, 0.1, 0.1, 0.05]
        let labels = [true, true, false, true, false, true, false, false, false, false]
        let result = PerformanceEvaluator.evaluate(
            scores: scores, labels: labels, options: PerformanceOptions(topKFractions: [0.2])
        )
        let top = try #require(result.topK.first)
        #expect(top.k == 2)
        #expect(top.selected == 4)
        #expect(top.selectedPositives == 3)
        #expect(top.scoreCutoff == 0.8)
        #expect(top.precision == 0.75)
        #expect(top.recall == 0.75)
    }

    @Test("untied scores select exactly k rows (no off-by-one)")
    func untiedSelectsExactlyK() throws {
        let result = PerformanceEvaluator.evaluate(
            scores: [0.9, 0.8, 0.7, 0.6, 0.5], labels: [true, false, true, false, false],
            options: PerformanceOptions(topKFractions: [0.4])
        )
        let top = try #require(result.topK.first)
        #expect(top.k == 2)
        #expect(top.selected == 2)
        #expect(top.scoreCutoff == 0.8)
        #expect(top.precision == 0.5)
    }

    @Test(
        "nominal count is ceil(fraction · n) without float noise, at least 1",
        arguments: [
            (0.07, 100, 7), (0.05, 100, 5), (0.1, 30, 3), (0.01, 50, 1), (0.001, 10, 1), (1.0, 10, 10),
            (1.0 / 3, 3, 1), (0.5, 3, 2), (0.2, 10, 2), (0.05, 0, 0), (0.011, 100, 2),
        ]
    )
    func nominalCount(fraction: Double, n: Int, k: Int) {
        #expect(TopKMetrics.nominalCount(fraction: fraction, n: n) == k)
    }

    @Test("without positives, recall is nil and precision is 0")
    func noPositives() throws {
        let result = PerformanceEvaluator.evaluate(
            scores: [0.9, 0.5, 0.1], labels: [false, false, false], options: PerformanceOptions(topKFractions: [0.5])
        )
        let top = try #require(result.topK.first)
        #expect(top.precision == 0)
        #expect(top.recall == nil)
    }
}
