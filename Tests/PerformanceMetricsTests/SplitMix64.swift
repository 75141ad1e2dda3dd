/// splitmix64, bit-identical to `splitmix64` in `Fixtures/generate_golden.py`, for regenerating large fixture cases.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
