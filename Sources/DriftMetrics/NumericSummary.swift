/// Distribution statistics of the present (finite) values of one numeric feature or score in one window.
///
/// Provides every statistic of `modelwatch_feature` / `modelwatch_output` that describes present values:
/// `mean`, `std`, `min`, `max`, `p01` … `p99` and `zero_rate`. Percentiles are numpy type-7
/// (``Quantile/linear(sorted:probability:)``); `std` is the sample standard deviation (ddof = 1).
public struct NumericSummary: Sendable, Hashable, Codable {
    /// Number of present values summarised.
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Sample standard deviation (ddof = 1); nil below 2 values or if it overflows `Double`.
    public let std: Double?
    /// Smallest value.
    public let min: Double
    /// Largest value.
    public let max: Double
    /// 1st percentile.
    public let p01: Double
    /// 5th percentile.
    public let p05: Double
    /// 25th percentile.
    public let p25: Double
    /// Median.
    public let p50: Double
    /// 75th percentile.
    public let p75: Double
    /// 95th percentile.
    public let p95: Double
    /// 99th percentile.
    public let p99: Double
    /// Share of the values equal to 0 (−0 included).
    public let zeroRate: Double

    /// Summarises `values` (any order); nil when there is no finite value.
    ///
    /// Non-finite values (NaN, ±inf) are skipped: the caller counts them as missing. Sorts once.
    public init?(values: [Double]) {
        self.init(sortedFiniteValues: SortedSample.sortedFinite(values))
    }

    /// Summarises values that are already finite and sorted ascending; nil when there are none.
    ///
    /// Use this with ``NumericDrift/compare(profile:sortedPresentValues:missingCount:)`` to sort a window once.
    public init?(sortedFiniteValues x: [Double]) {
        self.init(sample: SortedArray(values: x))
    }

    /// Summarises a buffer of values that are already finite and sorted ascending (a part of a larger sort,
    /// say); nil when there are none. The same summary as ``init(sortedFiniteValues:)`` on an array of them.
    public init?(sortedFiniteValues x: UnsafeBufferPointer<Double>) {
        self.init(sample: SortedArray(values: x))
    }

    /// Summarises values given as runs (distinct values with their counts): the same summary as
    /// ``init(sortedFiniteValues:)`` on ``SortedRuns/expanded()``; nil when there are none.
    public init?(sortedRuns: SortedRuns) {
        self.init(sample: sortedRuns)
    }

    init?<Sample: AscendingSample>(sample x: Sample) {
        guard x.count > 0 else { return nil }
        count = x.count
        min = x.element(at: 0)
        max = x.element(at: count - 1)
        let percentiles = Quantile.summaryProbabilities.map { Quantile.linear(sample: x, probability: $0) }
        p01 = percentiles[0]
        p05 = percentiles[1]
        p25 = percentiles[2]
        p50 = percentiles[3]
        p75 = percentiles[4]
        p95 = percentiles[5]
        p99 = percentiles[6]
        let moments = Moments(sample: x)
        mean = moments.mean
        std = moments.std
        // Zeros are contiguous in a sorted sample; count them with two binary searches.
        let zeros = x.countLessOrEqual(to: 0) - x.countLess(than: 0)
        zeroRate = Double(zeros) / Double(x.count)
    }
}

/// Mean and sample standard deviation computed in a power-of-two scaled space.
///
/// Values are multiplied by 2^−e, where 2^e ≤ max|x| < 2^(e+1), so magnitudes from 1e−300 to 1e300 neither
/// overflow nor underflow when summed or squared; the scaling is exact. The mean uses Neumaier (compensated)
/// summation; the variance is the corrected two-pass formula `(Σd² − (Σd)²/n) / (n − 1)` with `d = x − mean`.
/// Each distinct value is summed once, times the number of times it occurs (`x·m`, `d²·m`, `d·m`, each product
/// added exactly as its rounded value and its rounding error), so a sorted array and its ``SortedRuns`` give the
/// same bits, and a value occurring once contributes exactly itself, as in a plain compensated sum.
struct Moments {
    let mean: Double
    let std: Double?

    init<Sample: AscendingSample>(sample x: Sample) {
        let n = x.count
        let maxAbs = Swift.max(Swift.abs(x.element(at: 0)), Swift.abs(x.element(at: n - 1)))
        guard maxAbs > 0 else {
            mean = 0
            std = n >= 2 ? 0 : nil
            return
        }
        let exponent = Int(maxAbs.exponent)
        // Multiplying by 2^−e is the same scaling while 2^−e is a normal double (all but the most extreme
        // samples), and much cheaper than the general `scale`.
        let factor: Double? = (-1022...1023).contains(-exponent) ? Self.scale(1, by: -exponent) : nil
        var sum = CompensatedSum()
        if let factor {
            x.forEachDistinct { value, times in sum.add(value * factor, times: times) }
        } else {
            x.forEachDistinct { value, times in sum.add(Self.scale(value, by: -exponent), times: times) }
        }
        let scaledMean = sum.value / Double(n)
        mean = Self.scale(scaledMean, by: exponent)
        guard n >= 2 else {
            std = nil
            return
        }
        var squares = CompensatedSum()
        var deviations = CompensatedSum()
        x.forEachDistinct { value, times in
            let d = (factor.map { value * $0 } ?? Self.scale(value, by: -exponent)) - scaledMean
            squares.add(d * d, times: times)
            deviations.add(d, times: times)
        }
        let correction = deviations.value * deviations.value / Double(n)
        let scaledVariance = Swift.max(0, (squares.value - correction) / Double(n - 1))
        let result = Self.scale(scaledVariance.squareRoot(), by: exponent)
        std = result.isFinite ? result : nil
    }

    /// `value · 2^power`, exact unless the result leaves the normal range.
    static func scale(_ value: Double, by power: Int) -> Double {
        Double(sign: .plus, exponent: power, significand: value)
    }
}

/// Neumaier's compensated summation.
struct CompensatedSum {
    private var sum = 0.0
    private var compensation = 0.0

    mutating func add(_ value: Double) {
        let t = sum + value
        if Swift.abs(sum) >= Swift.abs(value) {
            compensation += (sum - t) + value
        } else {
            compensation += (value - t) + sum
        }
        sum = t
    }

    /// Adds `value · times` exactly: the rounded product, then its rounding error (from a fused multiply-add).
    @inline(__always)
    mutating func add(_ value: Double, times: Int) {
        if times == 1 {
            add(value)
            return
        }
        let weight = Double(times)
        let product = value * weight
        add(product)
        add((-product).addingProduct(value, weight))
    }

    var value: Double { sum + compensation }
}
