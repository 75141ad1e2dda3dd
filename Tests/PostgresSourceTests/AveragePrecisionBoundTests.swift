@testable import ModelwatchJob
import PerformanceMetrics
import Testing

/// The binned AP's error bound (``BinnedPerformance/averagePrecisionErrorBound``) holds against exact AP whatever
/// the order inside the bins, and is attained by the extreme orders; no database involved.
@Suite("binned average precision error bound")
struct AveragePrecisionBoundTests {
    /// The binned statistics of scores in [0, 1], one bin per 1/1000 (ordered like the scores).
    static func binned(_ scores: [Double], _ labels: [Bool]) -> BinnedPerformance {
        var binned = BinnedPerformance(thresholdCount: 0)
        for (score, label) in zip(scores, labels) {
            let bin = min(Int(score * 1000), 999)
            if label { binned.positives[bin] += 1 } else { binned.negatives[bin] += 1 }
        }
        return binned
    }

    static func exactAP(_ scores: [Double], _ labels: [Bool]) -> Double {
        PerformanceEvaluator.evaluate(scores: scores, labels: labels, options: PerformanceOptions()).averagePrecision!
    }

    @Test("random data with ties inside bins: |binned − exact| ≤ bound", arguments: [(40, 3), (500, 7), (3000, 2), (3000, 40)])
    func randomWithinBound(rows: Int, distinctPerBin: Int) {
        var state: UInt64 = UInt64(rows * 31 + distinctPerBin)
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var largest = 0.0
        for _ in 0..<20 {
            // Few bins in use (scores in [0.3, 0.32)), each with `distinctPerBin` distinct scores.
            var scores: [Double] = [], labels: [Bool] = []
            for _ in 0..<rows {
                let score = 0.3 + (next() * 20 * Double(distinctPerBin)).rounded(.down) / (1000 * Double(distinctPerBin))
                scores.append(score)
                labels.append(next() < 0.2 + 20 * (score - 0.3))
            }
            guard labels.contains(true) else { continue }
            let binned = Self.binned(scores, labels)
            let binnedAP = binned.result(thresholds: []).averagePrecision!
            let bound = binned.averagePrecisionErrorBound!
            let exact = Self.exactAP(scores, labels)
            #expect(abs(binnedAP - exact) <= bound + 1e-12, "binned \(binnedAP) exact \(exact) bound \(bound)")
            largest = max(largest, abs(binnedAP - exact) / bound)
        }
        // The data does exercise the bound: binned and exact AP differ.
        #expect(largest > 0.01)
    }

    @Test("the bound is attained by positives tied above the negatives of one bin (exact AP 1), and is 0 when every row has a bin of its own")
    func extremesAttainBound() {
        // Positives at 0.5009 (tied), negatives at 0.5001: one bin, exact AP 1, binned p/(p+n).
        let scores = Array(repeating: 0.5009, count: 3) + Array(repeating: 0.5001, count: 5)
        let labels = Array(repeating: true, count: 3) + Array(repeating: false, count: 5)
        let binned = Self.binned(scores, labels)
        let binnedAP = binned.result(thresholds: []).averagePrecision!
        #expect(Self.exactAP(scores, labels) == 1)
        #expect(abs(binnedAP - 3.0 / 8.0) < 1e-15)
        #expect(abs(binned.averagePrecisionErrorBound! - (1 - 3.0 / 8.0)) < 1e-15)
        // Every row in a bin of its own: no error, bound 0.
        let spread = [0.9, 0.8, 0.7, 0.6, 0.5]
        let spreadLabels = [true, false, true, false, true]
        let exactBins = Self.binned(spread, spreadLabels)
        #expect(exactBins.averagePrecisionErrorBound == 0)
        #expect(abs(exactBins.result(thresholds: []).averagePrecision! - Self.exactAP(spread, spreadLabels)) < 1e-15)
    }
}
