/// The distribution of one numeric feature column and its contribution to the true latent logit.
struct NumericFeature: Sendable {
    enum Distribution: Sendable {
        case normal(mean: Double, sd: Double)
        case lognormal(mu: Double, sigma: Double)
        case uniform(low: Double, high: Double)
        /// Integer counts.
        case poisson(lambda: Double)
        /// Mostly zero; otherwise exponential with the given mean.
        case zeroInflated(zeroProbability: Double, mean: Double)
    }

    let distribution: Distribution
    /// Decimals written to the CSV (0 for integer counts).
    let decimals: Int
    /// Weight of the standardized signal in the true latent logit.
    let coefficient: Double

    /// The standard deviation of the healthy distribution (unit of ``Incident/featureDrift``).
    var standardDeviation: Double {
        switch distribution {
        case .normal(_, let sd): return sd
        case .lognormal(let mu, let sigma):
            let s2 = sigma * sigma
            return ((mathExp(s2) - 1) * mathExp(2 * mu + s2)).squareRoot()
        case .uniform(let low, let high): return (high - low) / 12.0.squareRoot()
        case .poisson(let lambda): return lambda.squareRoot()
        case .zeroInflated(let p0, let mean):
            let m = (1 - p0) * mean
            return (2 * (1 - p0) * mean * mean - m * m).squareRoot()
        }
    }

    /// Whether values are integers (drift shifts are rounded).
    var isInteger: Bool { decimals == 0 }

    /// Draws one value. Consumes a fixed number of uniforms per kind (Poisson: a variable number).
    @inline(__always)
    func sample(_ rng: inout SeededRandom) -> Double {
        switch distribution {
        case .normal(let mean, let sd):
            return mean + sd * rng.normal()
        case .lognormal(let mu, let sigma):
            return mathExp(mu + sigma * rng.normal())
        case .uniform(let low, let high):
            return low + (high - low) * rng.uniform()
        case .poisson(let lambda):
            // Knuth's method: fine for the small means used here.
            let limit = mathExp(-lambda)
            var k = 0
            var p = rng.uniform()
            while p > limit {
                k += 1
                p *= rng.uniform()
            }
            return Double(k)
        case .zeroInflated(let p0, let mean):
            let u = rng.uniform()
            let v = rng.uniform()
            return u < p0 ? 0 : (-mean * mathLog(1 - v)).rounded()
        }
    }

    /// The value's standardized contribution to the latent logit, before ``coefficient``.
    @inline(__always)
    func signal(_ x: Double) -> Double {
        switch distribution {
        case .normal(let mean, let sd): return (x - mean) / sd
        case .lognormal(let mu, let sigma): return x > 0 ? (mathLog(x) - mu) / sigma : -3
        case .uniform(let low, let high): return (x - (low + high) / 2) / ((high - low) / 12.0.squareRoot())
        case .poisson(let lambda): return (x - lambda) / lambda.squareRoot()
        case .zeroInflated(let p0, _): return 2 * ((x > 0 ? 1 : 0) - (1 - p0))
        }
    }

    /// Variance of ``signal(_:)`` under the healthy distribution (1 except for the 0/1 indicator).
    var signalVariance: Double {
        if case .zeroInflated(let p0, _) = distribution { return 4 * p0 * (1 - p0) }
        return 1
    }

    /// The mix of numeric columns, cycled when a config asks for more columns than listed.
    static let catalog: [NumericFeature] = [
        NumericFeature(distribution: .normal(mean: 0, sd: 1), decimals: 4, coefficient: 0.8),
        NumericFeature(distribution: .lognormal(mu: 3, sigma: 0.8), decimals: 2, coefficient: 0.5),
        NumericFeature(distribution: .uniform(low: 0, high: 100), decimals: 3, coefficient: -0.4),
        NumericFeature(distribution: .poisson(lambda: 3), decimals: 0, coefficient: 0.3),
        NumericFeature(distribution: .zeroInflated(zeroProbability: 0.85, mean: 40), decimals: 0, coefficient: 0.35),
        NumericFeature(distribution: .normal(mean: 50, sd: 10), decimals: 3, coefficient: -0.25),
        NumericFeature(distribution: .lognormal(mu: 0, sigma: 0.5), decimals: 4, coefficient: 0.2),
        NumericFeature(distribution: .uniform(low: -1, high: 1), decimals: 4, coefficient: 0),
        NumericFeature(distribution: .poisson(lambda: 8), decimals: 0, coefficient: 0.1),
        NumericFeature(distribution: .normal(mean: -2, sd: 3), decimals: 4, coefficient: 0),
        NumericFeature(distribution: .zeroInflated(zeroProbability: 0.95, mean: 5), decimals: 0, coefficient: 0),
        NumericFeature(distribution: .normal(mean: 1000, sd: 150), decimals: 1, coefficient: 0),
    ]
}
