import PerformanceMetrics
import Testing

/// 95% Wilson intervals against `scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95,
/// method="wilson")` (scipy 1.17.1); the golden fixture checks them again inside every threshold and top-k case.
@Suite("Wilson interval of a proportion")
struct ProportionIntervalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var k, n: Int
        var lower, upper: Double
        var testDescription: String { "\(k) of \(n)" }
    }

    static let cases: [Case] = [
        Case(k: 0, n: 10, lower: 0, upper: 0.27753279986288926),
        Case(k: 10, n: 10, lower: 0.7224672001371109, upper: 1),
        Case(k: 3, n: 7, lower: 0.1582198552514697, upper: 0.7495416354723428),
        Case(k: 1, n: 1, lower: 0.20654931437723745, upper: 1),
        Case(k: 25, n: 40, lower: 0.470324391373011, upper: 0.7577702083276672),
        Case(k: 500, n: 1000, lower: 0.4690696003681042, upper: 0.5309303996318958),
    ]

    @Test("matches scipy's Wilson interval, exactly 0 at k = 0 and 1 at k = n", arguments: cases)
    func matchesScipy(_ c: Case) throws {
        let interval = try #require(ProportionInterval.wilson(successes: c.k, trials: c.n))
        #expect(abs(interval.lower - c.lower) <= 1e-15 && abs(interval.upper - c.upper) <= 1e-15, "\(interval)")
        #expect(interval.lower >= 0 && interval.upper <= 1 && interval.lower <= Double(c.k) / Double(c.n))
        #expect(Double(c.k) / Double(c.n) <= interval.upper)
    }

    @Test("no trials, or more successes than trials, have no interval")
    func undefined() {
        #expect(ProportionInterval.wilson(successes: 0, trials: 0) == nil)
        #expect(ProportionInterval.wilson(successes: 3, trials: 2) == nil)
        #expect(ProportionInterval.wilson(successes: -1, trials: 2) == nil)
    }

    @Test("threshold and top-k metrics carry the intervals of their precision and recall")
    func carriedByMetrics() throws {
        let threshold = ThresholdMetrics(threshold: 0.5, tp: 3, fp: 4, tn: 10, fn: 22)
        #expect(threshold.precisionInterval == .wilson(successes: 3, trials: 7))
        #expect(threshold.recallInterval == .wilson(successes: 3, trials: 25))
        #expect(ThresholdMetrics(threshold: 0.9, tp: 0, fp: 0, tn: 5, fn: 5).precisionInterval == nil)
        let topK = TopKMetrics(fraction: 0.1, k: 4, selected: 5, selectedPositives: 3, scoreCutoff: 0.8, nPositive: 12)
        #expect(topK.precisionInterval == .wilson(successes: 3, trials: 5))
        #expect(topK.recallInterval == .wilson(successes: 3, trials: 12))
        let noPositives = TopKMetrics(fraction: 0.1, k: 4, selected: 5, selectedPositives: 0, scoreCutoff: 0.8, nPositive: 0)
        #expect(noPositives.precisionInterval == .wilson(successes: 0, trials: 5) && noPositives.recallInterval == nil)
    }
}
