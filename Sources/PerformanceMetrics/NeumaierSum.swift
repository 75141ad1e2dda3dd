/// A running sum with Neumaier's compensation: the rounding error of each addition is carried separately,
/// so the result is as accurate as summing in twice the precision, whatever the order or the count.
struct NeumaierSum {
    private var sum = 0.0
    private var compensation = 0.0

    /// Adds one term.
    @inline(__always)
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    /// The compensated total (the plain sum when it overflowed, so ±inf stays ±inf).
    var value: Double { sum.isFinite ? sum + compensation : sum }
}

/// A power of two that brings `magnitude` near 1 when its square could overflow or underflow, else 1.
///
/// Multiplying by a power of two is exact, so scaled sums of squares keep every bit of the data.
@inline(__always)
func safeScale(forMagnitude magnitude: Double) -> Double {
    guard magnitude.isFinite, magnitude > 0 else { return 1 }
    let exponent = magnitude.exponent
    return exponent > 400 || exponent < -400 ? Double(sign: .plus, exponent: exponent, significand: 1) : 1
}
