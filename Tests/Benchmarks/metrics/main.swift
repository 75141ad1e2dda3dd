// Times PerformanceEvaluator.evaluate on N labelled rows (issue 3) and PerformanceEstimator.estimate (CBPE) on the same scores: one sort per window, reused for AUC, AP,
// thresholds and top-k, plus calibration and the recalibration fits. Built by metrics.sh with swiftc -O
// together with Sources/PerformanceMetrics and the tests' generator (Sources/TestSupport/SplitMix64.swift); not
// part of the test suite.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

@main struct Bench { static func main() {
let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let options = PerformanceOptions(thresholds: [0.3, 0.5, 0.7], topKFractions: [0.01, 0.05, 0.1], calibrationBins: 10)
print("rows        scores              best of 3 (s)   rows/s          AUC")
for n in sizes.isEmpty ? [1_000_000, 10_000_000] : sizes {
    for (name, decimals) in [("distinct", 0), ("rounded 1e-2", 2)] {
        var random = SplitMix64(seed: 42)
        var scores = [Double](repeating: 0, count: n)
        var labels = [Bool](repeating: false, count: n)
        for index in 0..<n {
            let latent = random.nextDouble()
            labels[index] = random.nextDouble() < 0.1 + 0.6 * latent
            var score = min(1, max(0, 0.5 * latent + 0.5 * random.nextDouble()))
            if decimals > 0 { score = (score * 100).rounded() / 100 }
            scores[index] = score
        }
        var best = Double.infinity
        var auc = 0.0
        for _ in 0..<3 {
            let start = now()
            let result = PerformanceEvaluator.evaluate(scores: scores, labels: labels, options: options)
            best = min(best, now() - start)
            auc = result.auc ?? .nan
        }
        let line = [String(n).padding(toLength: 12, withPad: " ", startingAt: 0),
                    name.padding(toLength: 20, withPad: " ", startingAt: 0),
                    String(format: "%.3f", best).padding(toLength: 16, withPad: " ", startingAt: 0),
                    String(format: "%.0f", Double(n) / best).padding(toLength: 16, withPad: " ", startingAt: 0),
                    String(format: "%.6f", auc)]
        print(line.joined())
        // Confidence-based estimation of the same window from its scores alone (the input window's cost when
        // `estimation` is set): the reference is fitted on the first 100k rows (isotonic map), not timed.
        let reference = EstimationReference.fit(
            scores: Array(scores.prefix(100_000)), labels: Array(labels.prefix(100_000)), thresholds: options.thresholds, calibrate: true)
        var bestEstimate = Double.infinity
        var estimated = 0.0
        for _ in 0..<3 {
            let start = now()
            let estimate = PerformanceEstimator.estimate(scores: scores, reference: reference, thresholds: options.thresholds)
            bestEstimate = min(bestEstimate, now() - start)
            estimated = estimate.auc?.value ?? .nan
        }
        print([String(n).padding(toLength: 12, withPad: " ", startingAt: 0),
               (name + " (CBPE)").padding(toLength: 20, withPad: " ", startingAt: 0),
               String(format: "%.3f", bestEstimate).padding(toLength: 16, withPad: " ", startingAt: 0),
               String(format: "%.0f", Double(n) / bestEstimate).padding(toLength: 16, withPad: " ", startingAt: 0),
               String(format: "%.6f", estimated)].joined())
    }
}
}}
