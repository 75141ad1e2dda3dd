/// A small, fast, seedable pseudo-random generator: xoshiro256** seeded through splitmix64.
///
/// The sequence depends only on the seed, on every platform and Swift version, which is what makes
/// ``Generator`` output byte-identical for a given ``ScenarioConfig``. Not for cryptographic use.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second normal of the last Box–Muller pair, if not yet used.
    private var spareNormal: Double?

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        s0 = Self.splitmix64(&sm)
        s1 = Self.splitmix64(&sm)
        s2 = Self.splitmix64(&sm)
        s3 = Self.splitmix64(&sm)
        spareNormal = nil
    }

    @inline(__always)
    private static func splitmix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// A uniform double in [0, 1), with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal (mean 0, standard deviation 1), by the Box–Muller transform.
    @inline(__always)
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - uniform()  // (0, 1]: log is finite
        let u2 = uniform()
        let radius = (-2 * mathLog(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * mathSin(angle)
        return radius * mathCos(angle)
    }

    /// A uniform integer in `0..<bound` (bound > 0), by Lemire's multiply-shift (tiny bias is fine here).
    @inline(__always)
    public mutating func below(_ bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
