import PerformanceMetrics
import Testing

@Suite("Reliability bins: numpy.linspace edges, right-closed like calibration_curve")
struct CalibrationBinningTests {
    @Test("edges are bit-identical to numpy.linspace(0, 1, 11)")
    func edgesMatchLinspace() {
        // np.linspace(0, 1, 11).tolist()
        let numpy = [
            0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1.0,
        ]
        #expect(CalibrationBinning.edges(binCount: 10) == numpy)
        // np.linspace(0, 1, 6).tolist() (reference doc §3.1)
        #expect(CalibrationBinning.edges(binCount: 5) == [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0])
    }

    @Test(
        "a score on an edge goes to the lower bin",
        arguments: [
            (0.0, 0), (0.1, 0), (0.1.nextUp, 1), (0.2, 1), (0.3, 2), (0.30000000000000004, 2),
            (0.30000000000000004.nextUp, 3), (0.5, 4), (0.6, 5), (0.6000000000000001, 5), (0.7, 6),
            (0.7000000000000001, 6), (0.8, 7), (0.9, 8), (0.95, 9), (1.0, 9), (0.05, 0), (-0.5, 0), (1.5, 9),
        ]
    )
    func edgePlacement(score: Double, bin: Int) {
        let edges = CalibrationBinning.edges(binCount: 10)
        #expect(CalibrationBinning.binIndex(of: score, edges: edges) == bin)
    }

    @Test("five bins: [.2, .4, .6, .8, 1.0] → [0, 1, 2, 3, 4] as in calibration_curve")
    func fiveBins() {
        let edges = CalibrationBinning.edges(binCount: 5)
        #expect([0.2, 0.4, 0.6, 0.8, 1.0].map { CalibrationBinning.binIndex(of: $0, edges: edges) } == [0, 1, 2, 3, 4])
    }

    @Test("one bin holds everything")
    func oneBin() {
        let edges = CalibrationBinning.edges(binCount: 1)
        #expect(edges == [0, 1])
        #expect([0.0, 0.5, 1.0].map { CalibrationBinning.binIndex(of: $0, edges: edges) } == [0, 0, 0])
    }

    @Test("ECE weights bins by count and MCE ignores empty bins")
    func eceAndMce() throws {
        // Bin 0: p = .1, .1 with labels 0, 1 → gap .4; bin 9: p = .95 with label 1 → gap .05.
        let result = PerformanceEvaluator.evaluate(
            scores: [0.1, 0.1, 0.95], labels: [false, true, true], options: PerformanceOptions()
        )
        expectClose(result.ece, (2 * 0.4 + 0.05) / 3, tolerance: 1e-15, "ECE")
        expectClose(result.mce, 0.4, tolerance: 1e-15, "MCE")
        #expect(result.calibrationBins.map(\.count) == [2, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(result.calibrationBins[1].meanPredicted == nil)
        #expect(result.calibrationBins[1].observedRate == nil)
    }
}
