import Foundation
import Testing
import TestSupport

/// `Fixtures/golden_tasks.json`, written by `Fixtures/generate_golden_tasks.py` from scikit-learn, scipy and numpy:
/// the expected regression and multiclass metrics.
struct TaskGoldenFixture: Decodable {
    struct Versions: Decodable {
        var numpy: String
        var scipy: String
        var sklearn: String
    }

    struct Generated: Decodable, Sendable {
        var seed: UInt64
        var n: Int
    }

    struct RegressionExpected: Decodable, Sendable {
        var n: Int
        var meanAbsoluteError, meanSquaredError, rootMeanSquaredError, r2, meanError: Double?
        var medianAbsoluteError, meanAbsolutePercentageError, maxError: Double?
        var residualQuantiles: [Double]?
        /// [lower, upper] or nil.
        var meanAbsoluteErrorInterval, meanErrorInterval, rootMeanSquaredErrorInterval: [Double]?
        /// What scikit-learn itself returned where the expected R² follows its documented convention instead.
        var sklearnR2: Double?
        var r2Note: String?
    }

    struct RegressionCase: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var targets: [Double]?
        var predictions: [Double]?
        var generated: Generated?
        var expected: RegressionExpected
        var testDescription: String { name }

        func rows() -> (targets: [Double], predictions: [Double]) {
            if let generated { return SplitMix64.regressionRows(seed: generated.seed, count: generated.n) }
            return (targets ?? [], predictions ?? [])
        }
    }

    struct ClassExpected: Decodable, Sendable {
        var precision, recall, f1: Double?
        var support: Int
        var recallInterval: [Double]?
    }

    struct ProbabilityExpected: Decodable, Sendable {
        var logLoss, brier: Double?
        var rocAUC: [Double?]
        var rocAUCMacro, rocAUCWeighted: Double?
        var topKAccuracy: [Double?]
        /// True when scikit-learn's own `roc_auc_score(multi_class="ovr")` confirmed the averages.
        var sklearnOvR: Bool?
    }

    struct MulticlassExpected: Decodable, Sendable {
        var n: Int
        var confusion: [[Int]]
        var classes: [ClassExpected]
        var accuracy, balancedAccuracy: Double?
        var balancedAccuracyWarned: Bool?
        var macroPrecision, macroRecall, macroF1: Double?
        var weightedPrecision, weightedRecall, weightedF1: Double?
        var microPrecision, microRecall, microF1: Double?
        var cohenKappa: Double?
        var probabilities: ProbabilityExpected?
    }

    struct MulticlassCase: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var classCount: Int
        var labels: [Int]?
        var predictions: [Int]?
        var probabilities: [Double]?
        var generated: Generated?
        var topK: [Int]
        var expected: MulticlassExpected
        var testDescription: String { name }

        func rows() -> (labels: [Int], predictions: [Int], probabilities: [Double]?) {
            if let generated {
                return SplitMix64.multiclassRows(seed: generated.seed, count: generated.n, classCount: classCount)
            }
            return (labels ?? [], predictions ?? [], probabilities)
        }
    }

    var generator: String
    var versions: Versions
    var regression: [RegressionCase]
    var multiclass: [MulticlassCase]

    /// Loads the fixture from the test bundle; non-finite expected values are stored as "inf", "-inf", "nan".
    static func load() throws -> TaskGoldenFixture {
        guard let url = Bundle.module.url(forResource: "golden_tasks", withExtension: "json", subdirectory: "Fixtures")
        else { throw CocoaError(.fileNoSuchFile) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"
        )
        return try decoder.decode(TaskGoldenFixture.self, from: Data(contentsOf: url))
    }

    static let fixture: TaskGoldenFixture? = try? load()
    static var regressionCases: [RegressionCase] { fixture?.regression ?? [] }
    static var multiclassCases: [MulticlassCase] { fixture?.multiclass ?? [] }
}

/// Expects `actual` within `relative` · max(|expected|, `magnitude`) of `expected` (both nil, or equal
/// infinities, also pass): a relative tolerance that stays meaningful at 1e300 and 1e-200.
func expectRelativelyClose(
    _ actual: Double?, _ expected: Double?, relative: Double, magnitude: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch (actual, expected) {
    case (nil, nil):
        return
    case let (actual?, expected?):
        if actual == expected { return }
        let bound = relative * max(abs(expected), magnitude)
        #expect(
            abs(actual - expected) <= bound,
            "\(what): got \(actual), expected \(expected) (difference \(abs(actual - expected)), bound \(bound))",
            sourceLocation: sourceLocation
        )
    default:
        Issue.record(
            "\(what): got \(String(describing: actual)), expected \(String(describing: expected))",
            sourceLocation: sourceLocation
        )
    }
}
