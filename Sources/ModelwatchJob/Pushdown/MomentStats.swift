import PostgresSource

/// Count, mean, sum of squared deviations, minimum and maximum of a set of values, mergeable (Chan et al.) so that
/// magnitude classes and folded segment values combine exactly, without overflow or underflow for any finite
/// doubles.
///
/// The sum of squared deviations is kept as `scaledSquaredDeviations · unit²` with `unit` a power of two, so that
/// values near 1e±300 (whose squares leave the double range) keep full precision. The database gives one
/// group per magnitude class (``AggregateSQL/moments(_:)``) in that class's scaled units.
struct MomentStats {
    var count = 0
    var mean = 0.0
    /// The power of two the squared deviations are measured in.
    var unit = 1.0
    /// Σ (x − mean)² / unit².
    var scaledSquaredDeviations = 0.0
    var min: Double?
    var max: Double?

    init() {}

    /// One group's aggregates in units of `unit`: `mean` and `variance` (sample, nil below two values) of x / unit.
    init(count: Int, scaledMean: Double?, scaledVariance: Double?, unit: Double, min: Double?, max: Double?) {
        self.count = count
        self.unit = unit
        mean = (scaledMean ?? 0) * unit
        scaledSquaredDeviations = count > 1 ? (scaledVariance ?? 0) * Double(count - 1) : 0
        self.min = min
        self.max = max
    }

    /// The statistics of the columns ``AggregateSQL/moments(_:)`` wrote, starting at column `first`.
    init(row: some PushdownRow, first: Int) {
        self.init()
        for (index, magnitude) in AggregateSQL.magnitudeClasses.enumerated() {
            let column = first + 3 * index
            let count = row.string(column).flatMap { Int($0) } ?? 0
            guard count > 0 else { continue }
            merge(MomentStats(count: count, scaledMean: row.double(column + 1), scaledVariance: row.double(column + 2),
                              unit: magnitude.unit, min: nil, max: nil))
        }
        let extremes = first + 3 * AggregateSQL.magnitudeClasses.count
        min = row.double(extremes)
        max = row.double(extremes + 1)
    }

    mutating func merge(_ other: MomentStats) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let na = Double(count), nb = Double(other.count), n = na + nb
        // A common unit at least both units and the power of two at or below the larger |mean|, so the means'
        // difference in units is at most 4 and its square cannot overflow; rescaling by powers of two is exact.
        var common = Swift.max(unit, other.unit)
        let magnitude = Swift.max(Swift.abs(mean), Swift.abs(other.mean))
        if magnitude.isFinite, magnitude >= Double.leastNormalMagnitude {
            common = Swift.max(common, Double(sign: .plus, exponent: magnitude.exponent, significand: 1))
        }
        let selfRatio = unit / common, otherRatio = other.unit / common
        let delta = other.mean / common - mean / common
        scaledSquaredDeviations = scaledSquaredDeviations * selfRatio * selfRatio
            + other.scaledSquaredDeviations * otherRatio * otherRatio
            + delta * delta * (na * nb / n)
        unit = common
        let shifted = mean + (other.mean - mean) * (nb / n)
        mean = shifted.isFinite ? shifted : mean * (na / n) + other.mean * (nb / n)
        count += other.count
        min = [min, other.min].compactMap { $0 }.min()
        max = [max, other.max].compactMap { $0 }.max()
    }

    /// The sample standard deviation; nil below two values, or when it exceeds the double range (as exact mode).
    var std: Double? {
        guard count > 1 else { return nil }
        let result = (scaledSquaredDeviations / Double(count - 1)).squareRoot() * unit
        return result.isFinite ? result : nil
    }
}
