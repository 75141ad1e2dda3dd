import TestSupport

/// The tests' shorthands over the shared deterministic generator.
extension SplitMix64 {
    /// An integer in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { next(below: bound) }

    /// True with probability `1 / odds`.
    mutating func oneIn(_ odds: Int) -> Bool { next(below: odds) == 0 }
}
