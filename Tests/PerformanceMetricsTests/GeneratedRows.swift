import TestSupport

/// The large generated fixture cases, rebuilt from their seed instead of stored.
extension SplitMix64 {
    /// The rows of `splitmix_rows(seed, n, kind)` in the generator; integer arithmetic only, so exact.
    static func rows(seed: UInt64, count: Int, kind: String) -> (scores: [Double], labels: [Bool]) {
        var generator = SplitMix64(seed: seed)
        var scores: [Double] = []
        var labels: [Bool] = []
        scores.reserveCapacity(count)
        labels.reserveCapacity(count)
        for _ in 0..<count {
            let r = generator.next()
            let r2 = generator.next()
            let q: UInt64
            let slope: UInt64
            switch kind {
            case "rounded":
                q = r % 101
                slope = 60
                scores.append(Double(q) / 100.0)
            case "continuous":
                q = r >> 57
                slope = 45
                scores.append(Double(r >> 11) * 0x1p-53)
            default:
                preconditionFailure("unknown generated kind \(kind)")
            }
            labels.append(r2 % 10000 < 500 + slope * q)
        }
        return (scores, labels)
    }
}
