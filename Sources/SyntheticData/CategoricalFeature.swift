/// The levels and frequencies of one categorical column (or of the region segment column).
struct CategoricalFeature: Sendable {
    /// Each level as it appears in a CSV cell, already quoted if it needs to be.
    let encodedLevels: [[UInt8]]
    /// Cumulative probabilities, last element 1.
    let cumulative: [Double]
    /// Effect of each level on the latent logit.
    let effects: [Double]

    init(levels: [String], weights: [Double], effects: [Double]? = nil) {
        precondition(levels.count == weights.count && !levels.isEmpty)
        encodedLevels = levels.map { CSV.encodeField($0) }
        let total = weights.reduce(0, +)
        var running = 0.0
        var cumulative = weights.map { weight -> Double in
            running += weight / total
            return running
        }
        cumulative[cumulative.count - 1] = 1
        self.cumulative = cumulative
        self.effects = effects ?? Array(repeating: 0, count: levels.count)
    }

    var count: Int { cumulative.count }

    /// Mean and variance of the level effect under the healthy frequencies.
    var effectMoments: (mean: Double, variance: Double) {
        var mean = 0.0
        var square = 0.0
        var previous = 0.0
        for (index, upper) in cumulative.enumerated() {
            let p = upper - previous
            previous = upper
            mean += p * effects[index]
            square += p * effects[index] * effects[index]
        }
        return (mean, square - mean * mean)
    }

    /// The level whose cumulative interval contains `u` ∈ [0, 1), by binary search.
    @inline(__always)
    func level(for u: Double) -> Int {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) >> 1
            if cumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The mix of categorical columns, cycled when a config asks for more columns than listed.
    static let catalog: [CategoricalFeature] = [
        // Low cardinality (4 levels), with an effect on the outcome.
        CategoricalFeature(
            levels: ["web", "ios", "android", "partner"], weights: [0.45, 0.25, 0.22, 0.08],
            effects: [0.0, 0.3, -0.1, -0.6]
        ),
        // Medium cardinality (50 levels), mildly skewed.
        CategoricalFeature(
            levels: (0..<50).map { "cat_" + twoDigits($0) },
            weights: (0..<50).map { 1.0 / (Double($0) + 5) }
        ),
        // Long tail (2,000 levels, Zipf s = 1.1).
        CategoricalFeature(
            levels: (0..<2000).map { "m" + String($0 + 1) },
            weights: (0..<2000).map { 1.0 / mathExp(1.1 * mathLog(Double($0) + 1)) }
        ),
        // 12 levels, near uniform.
        CategoricalFeature(
            levels: (0..<12).map { "plan_" + String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) },
            weights: (0..<12).map { 1.0 + Double($0 % 3) * 0.2 }
        ),
    ]
}

private func twoDigits(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }
