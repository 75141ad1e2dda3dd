import Foundation
import Testing
import TestSupport

/// The decoded `Fixtures/golden.json`.
///
/// Every expected value in it was computed by `Fixtures/generate_golden.py` with numpy and scipy (the versions
/// are in ``python``/``numpy``/``scipy``; at generation time Python 3.11.7, numpy 2.4.6, scipy 1.17.1):
/// quantiles with `np.quantile` (linear), std with `statistics.stdev` (exact, ddof = 1), KS with
/// `scipy.stats.ks_2samp`, JS with `scipy.spatial.distance.jensenshannon(base=2)`, PSI with a numpy
/// re-implementation of the documented binning and 1e-4 floor, SHA-256 with `hashlib`.
struct Golden: Decodable, Sendable {
    let generator: String
    let python: String
    let numpy: String
    let scipy: String
    let quantiles: [QuantileCase]
    let numeric: [NumericCase]
    let generated: [NumericCase]
    let categorical: [CategoricalCase]
    let sha256: [HashCase]

    static let shared: Golden = {
        do {
            guard let url = Bundle.module.url(forResource: "golden", withExtension: "json", subdirectory: "Fixtures")
            else { fatalError("Fixtures/golden.json is missing from the test bundle") }
            return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot decode Fixtures/golden.json: \(error)")
        }
    }()

    /// "generate_golden.py, numpy x, scipy y": quoted in test comments and failure messages.
    var provenance: String { "\(generator) (Python \(python), numpy \(numpy), scipy \(scipy))" }
}

struct QuantileCase: Decodable, Sendable {
    let values: [Double]
    let probabilities: [Double]
    let expected: [Double]
}

struct HashCase: Decodable, Sendable {
    let input: String
    let hex: String
}

struct Sample: Decodable, Sendable {
    let values: [Double]
    let missing: Int
}

/// A large sample regenerated from splitmix64 instead of being stored (mirrors `generate()` in the script).
struct GeneratorSpec: Decodable, Sendable {
    let kind: String
    let seed: UInt64
    let n: Int
    let missingRate: Double
    let scale: Double
    let offset: Double
    let levels: Int?

    func make() -> Sample {
        var rng = SplitMix64(seed: seed)
        var values: [Double] = []
        var missing = 0
        for _ in 0..<n {
            if rng.nextDouble() < missingRate {
                missing += 1
                continue
            }
            switch kind {
            case "sum4":
                let u1 = rng.nextDouble(), u2 = rng.nextDouble(), u3 = rng.nextDouble(), u4 = rng.nextDouble()
                values.append((((u1 + u2) + u3) + u4) * scale + offset)
            case "grid":
                values.append((rng.nextDouble() * Double(levels ?? 1)).rounded(.down) * scale + offset)
            default:
                fatalError("unknown generator kind \(kind)")
            }
        }
        return Sample(values: values, missing: missing)
    }
}


struct ExpectedSummary: Decodable, Sendable {
    let count: Int
    let mean: Double
    let std: Double?
    let min: Double
    let max: Double
    let p01: Double
    let p05: Double
    let p25: Double
    let p50: Double
    let p75: Double
    let p95: Double
    let p99: Double
    let zeroRate: Double
}

struct NumericCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Expected: Decodable, Sendable {
        let referenceSummary: ExpectedSummary?
        let currentSummary: ExpectedSummary?
        let edges: [Double]
        let referenceBinCounts: [Int]
        let currentBinCounts: [Int]
        let psi: Double?
        let js: Double?
        let ks: Double?
        let ksExact: Double?
        let ksErrorBound: Double?
        let emptyBins: Int
        let cdfKind: String
    }
    let name: String
    let expected: Expected
    let reference: Sample?
    let current: Sample?
    let referenceSpec: GeneratorSpec?
    let currentSpec: GeneratorSpec?

    var testDescription: String { name }

    /// The stored sample, or the regenerated one for large cases.
    func samples() -> (reference: Sample, current: Sample) {
        if let reference, let current { return (reference, current) }
        guard let referenceSpec, let currentSpec else { fatalError("case \(name) has neither data nor spec") }
        return (referenceSpec.make(), currentSpec.make())
    }
}

struct CategoricalCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Counts: Decodable, Sendable {
        let counts: [String: Int]
        let missing: Int
    }
    struct TopEntry: Decodable, Sendable {
        let category: String
        let count: Int
        let share: Double
        let referenceShare: Double
    }
    struct Expected: Decodable, Sendable {
        let storedCategories: [String: Int]
        let otherCount: Int
        let referenceCount: Int
        let psi: Double?
        let js: Double?
        let emptyBins: Int
        let distinctCount: Int
        let top: [TopEntry]
        let unseenRate: Double?
    }
    let name: String
    let maxCategories: Int
    let topN: Int
    /// `drift_category_bins`.
    let driftBins: Int
    let reference: Counts
    let current: Counts
    let expected: Expected

    var testDescription: String { name }
}

/// `actual` within `relative`·|expected| or `absolute` of `expected`; both nil also matches.
func isClose(_ actual: Double?, _ expected: Double?, relative: Double = 1e-9, absolute: Double = 0) -> Bool {
    switch (actual, expected) {
    case (nil, nil): return true
    case let (a?, e?):
        guard a.isFinite, e.isFinite else { return false }
        let difference = abs(a - e)
        return difference <= absolute || difference <= relative * max(abs(a), abs(e))
    default: return false
    }
}
