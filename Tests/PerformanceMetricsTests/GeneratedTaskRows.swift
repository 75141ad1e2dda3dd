import TestSupport

/// The large regression and multiclass fixture cases, rebuilt from their seed instead of stored.
extension SplitMix64 {
    /// `regression_rows(seed, n)` of `Fixtures/generate_golden_tasks.py`: integer draws and single correctly
    /// rounded operations, so bit-identical to the Python rows.
    static func regressionRows(seed: UInt64, count: Int) -> (targets: [Double], predictions: [Double]) {
        var generator = SplitMix64(seed: seed)
        var targets: [Double] = []
        var predictions: [Double] = []
        for _ in 0..<count {
            let r = generator.next()
            let r2 = generator.next()
            let target = Double(r % 20001) / 100.0 - 100.0
            var error = Double(Int(r2 % 2001) - 1000) / 200.0
            if (r2 >> 32) % 40 == 0 { error *= 25.0 }
            if (r2 >> 40) % 3 == 0 { error += 0.5 }
            targets.append(target)
            predictions.append(target + error)
        }
        return (targets, predictions)
    }

    /// `multiclass_rows(seed, n, k)` of the generator: labels, predictions and row-major probabilities w / Σw.
    static func multiclassRows(
        seed: UInt64, count: Int, classCount k: Int
    ) -> (labels: [Int], predictions: [Int], probabilities: [Double]) {
        var generator = SplitMix64(seed: seed)
        var labels: [Int] = []
        var predictions: [Int] = []
        var probabilities: [Double] = []
        let classes = UInt64(k)
        for _ in 0..<count {
            let r = generator.next()
            let r2 = generator.next()
            let r3 = generator.next()
            var t = r % (classes * (classes + 1) / 2)
            var c: UInt64 = 0
            while t >= classes - c {
                t -= classes - c
                c += 1
            }
            let label = Int(c)
            let prediction = r2 % 10 < 7 ? label : (label + 1 + Int((r2 >> 8) % (classes - 1))) % k
            var weights = (0..<k).map { 1 + Int((r3 >> UInt64(6 * $0)) % 20) }
            if (r2 >> 20) % 5 != 0 { weights[prediction] += 30 }
            let total = Double(weights.reduce(0, +))
            labels.append(label)
            predictions.append(prediction)
            probabilities.append(contentsOf: weights.map { Double($0) / total })
        }
        return (labels, predictions, probabilities)
    }
}
