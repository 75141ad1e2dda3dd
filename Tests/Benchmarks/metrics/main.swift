// Times PerformanceEvaluator.evaluate on N labelled rows (issue 3): one sort per window, reused for AUC, AP,
// thresholds and top-k, plus calibration and the recalibration fits. Built by metrics.sh with swiftc -O
// together with Sources/PerformanceMetrics; not part of the test suite.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}

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
        var random = SplitMix64(state: 42)
        var scores = [Double](repeating: 0, count: n)
        var labels = [Bool](repeating: false, count: n)
        for index in 0..<n {
            let latent = random.uniform()
            labels[index] = random.uniform() < 0.1 + 0.6 * latent
            var score = min(1, max(0, 0.5 * latent + 0.5 * random.uniform()))
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
    }
}
}}
