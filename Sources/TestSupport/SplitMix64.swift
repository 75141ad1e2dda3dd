/// splitmix64 (Steele, Lea, Flood 2014): the one deterministic generator of the tests and benchmarks, so a
/// failure reproduces. Bit-identical to `splitmix64` in the golden-value scripts
/// (`Tests/*/Fixtures/generate_golden.py`); `Tests/Benchmarks/metrics.sh` compiles this file into its benchmark.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1): the top 53 bits (exact, like the scripts' `(r >> 11) * 2**-53`).
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// An integer in `0..<bound` (by remainder: the small bias does not matter for test data).
    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
