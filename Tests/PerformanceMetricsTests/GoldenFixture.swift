import Foundation
import PerformanceMetrics
import Testing
import TestSupport

/// `Fixtures/golden.json`, written by `Fixtures/generate_golden.py` from scikit-learn, scipy, numpy and statsmodels.
struct GoldenFixture: Decodable {
    struct Versions: Decodable {
        var numpy: String
        var scipy: String
        var sklearn: String
        var statsmodels: String
    }

    struct Options: Decodable {
        var thresholds: [Double]
        var topKFractions: [Double]
        var calibrationBins: Int

        var performanceOptions: PerformanceOptions {
            PerformanceOptions(thresholds: thresholds, topKFractions: topKFractions, calibrationBins: calibrationBins)
        }
    }

    struct Generated: Decodable {
        var seed: UInt64
        var n: Int
        var kind: String
    }

    struct Threshold: Decodable {
        var threshold: Double
        var tp, fp, tn, fn: Int
        var precision, recall, f1, fpr, specificity, predictedPositiveRate: Double?
        /// [lower, upper] from scipy's Wilson interval, or nil.
        var precisionInterval, recallInterval: [Double]?
    }

    struct TopK: Decodable {
        var fraction: Double
        var k, selected: Int
        var scoreCutoff, precision, recall: Double?
        var precisionInterval, recallInterval: [Double]?
    }

    struct Bin: Decodable {
        var index, count: Int
        var lower, upper: Double
        var meanPredicted, observedRate: Double?
    }

    struct Expected: Decodable {
        var n, nPositive, nNegative: Int
        var baseRate, meanScore: Double?
        var auc, aucStandardError, aucConfidenceLower, aucConfidenceUpper, averagePrecision: Double?
        var undefinedReason: String?
        var logLoss, brier, ece, mce, observedExpected: Double?
        var calibrationInTheLarge, calibrationIntercept, calibrationSlope: Double?
        var thresholds: [Threshold]
        var topK: [TopK]
        var calibrationBins: [Bin]
    }

    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        var name: String
        var scores: [Double]?
        var labels: [Bool]?
        var generated: Generated?
        var options: Options
        var expected: Expected

        var testDescription: String { name }

        /// The rows: stored in the JSON, or regenerated from splitmix64 for the large cases.
        func rows() -> (scores: [Double], labels: [Bool]) {
            if let generated {
                return SplitMix64.rows(seed: generated.seed, count: generated.n, kind: generated.kind)
            }
            return (scores ?? [], labels ?? [])
        }

        /// Runs ``PerformanceEvaluator`` on the case's rows and options.
        func evaluate() -> PerformanceResult {
            let (scores, labels) = rows()
            return PerformanceEvaluator.evaluate(scores: scores, labels: labels, options: options.performanceOptions)
        }
    }

    var generator: String
    var versions: Versions
    var cases: [Case]

    /// Loads the fixture from the test bundle.
    static func load() throws -> GoldenFixture {
        guard let url = Bundle.module.url(forResource: "golden", withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(GoldenFixture.self, from: Data(contentsOf: url))
    }

    /// The cases, or none when the file is missing (``GoldenTests/fixtureLoads()`` then fails).
    static let cases: [Case] = (try? load())?.cases ?? []
}

extension GoldenFixture.Options: Sendable {}
extension GoldenFixture.Generated: Sendable {}
extension GoldenFixture.Threshold: Sendable {}
extension GoldenFixture.TopK: Sendable {}
extension GoldenFixture.Bin: Sendable {}
extension GoldenFixture.Expected: Sendable {}
