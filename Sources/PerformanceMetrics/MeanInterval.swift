/// A two-sided 95% large-sample (normal) confidence interval for a mean or a function of one.
///
/// For a sample x₁…xₙ the interval is x̄ ± z·s/√n with s the sample standard deviation (ddof = 1) and
/// z = 1.959963984540054 (`scipy.stats.norm.ppf(0.975)`); it needs n ≥ 2 and relies on the central limit
/// theorem, so treat it as approximate below a few dozen rows and for heavy-tailed samples.
public struct MeanInterval: Sendable, Equatable {
    /// Lower end.
    public var lower: Double
    /// Upper end.
    public var upper: Double

    /// Creates an interval.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// Mean and sample standard deviation by a compensated two-pass algorithm, scaled by a power of two when the
/// squares could overflow, so values up to the largest finite double give finite results.
struct SampleMoments {
    /// Arithmetic mean.
    var mean: Double
    /// Sample standard deviation (ddof = 1); nil for fewer than 2 values.
    var standardDeviation: Double?

    /// nil for an empty sample.
    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        count = values.count
        var largest = 0.0
        for x in values { largest = max(largest, abs(x)) }
        let scale = safeScale(forMagnitude: largest)
        let count = Double(values.count)
        var sum = NeumaierSum()
        for x in values { sum.add(x / scale) }
        let scaledMean = sum.value / count
        mean = scaledMean * scale
        guard values.count >= 2 else {
            standardDeviation = nil
            return
        }
        var squares = NeumaierSum()
        var shift = NeumaierSum()
        for x in values {
            let d = x / scale - scaledMean
            squares.add(d * d)
            shift.add(d)
        }
        // The corrected two-pass formula (Chan, Golub & LeVeque 1983) removes what is left of the mean's rounding.
        let residual = shift.value
        let variance = max(0, (squares.value - residual * residual / count) / (count - 1))
        standardDeviation = variance.squareRoot() * scale
    }

    /// Values in the sample.
    var count: Int

    /// The half-width z·s/√n of the 95% interval; nil for fewer than 2 values.
    var halfWidth: Double? {
        standardDeviation.map { $0 * (DeLongInterval.z95 / Double(count).squareRoot()) }
    }

    /// x̄ ± z·s/√n; nil for fewer than 2 values.
    var interval: MeanInterval? {
        halfWidth.map { MeanInterval(lower: mean - $0, upper: mean + $0) }
    }
}
