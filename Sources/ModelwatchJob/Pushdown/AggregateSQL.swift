import Foundation
import PerformanceMetrics

/// The engine-neutral SQL of push-down's sufficient statistics: score bins that agree with exact mode for every
/// double, overflow-free moments, and bin CASEs over profile edges. Only standard SQL (CASE, CEIL, LEAST,
/// GREATEST, ABS, COUNT, AVG, VAR_SAMP, MIN, MAX); what differs between engines is in ``Dialect``.
struct AggregateSQL {
    /// What differs between SQL engines in these fragments.
    struct Dialect: Sendable {
        /// The 64-bit floating-point type in a CAST.
        let doubleType: String
        /// The character string type in a CAST.
        var textType = "TEXT"
        /// The identifier quote (`"` in standard SQL, a backtick in Spark SQL); doubled inside a name.
        var identifierQuote: Character = "\""
        /// Whether a backslash escapes in string literals (Spark SQL), so it must be doubled.
        var backslashEscapes = false

        static let postgres = Dialect(doubleType: "DOUBLE PRECISION")
        /// Spark SQL (Spark 3.4+ and 4.x, Databricks): backtick identifiers, STRING, backslash escapes in literals.
        static let spark = Dialect(doubleType: "DOUBLE", textType: "STRING", identifierQuote: "`", backslashEscapes: true)

        /// A quoted identifier.
        func quote(_ name: String) -> String {
            let q = String(identifierQuote)
            return q + name.replacingOccurrences(of: q, with: q + q) + q
        }

        /// A string literal that reads back as `text`.
        func literal(_ text: String) -> String {
            let escaped = backslashEscapes
                ? text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                : text.replacingOccurrences(of: "'", with: "''")
            return "'" + escaped + "'"
        }

        /// A double from a number written by Swift (thresholds: short decimals).
        func number(_ value: Double) -> String { "CAST(\(value) AS \(doubleType))" }
    }

    let dialect: Dialect

    /// A double literal that reads back as exactly `value` (Swift prints the shortest digits that round-trip, and
    /// the engine's float parser rounds correctly).
    func double(_ value: Double) -> String { "CAST('\(value)' AS \(dialect.doubleType))" }

    // MARK: - Score bins

    /// The reliability bin of `score` (a valid score in [0, 1]) as exact mode assigns it
    /// (``CalibrationBinning/binIndex(of:edges:)``): right-closed, a score on an edge in the lower bin, decided by
    /// comparing with the very doubles of `numpy.linspace(0, 1, 11)`.
    func calibrationBin(_ score: String) -> String {
        let edges = CalibrationBinning.edges(binCount: BinnedPerformance.calibrationBinCount)
        var sql = "CASE"
        for index in 1..<(edges.count - 1) { sql += " WHEN \(score) <= \(double(edges[index])) THEN \(index - 1)" }
        return sql + " ELSE \(edges.count - 2) END"
    }

    /// The fine score bin of a valid `score`: ⌈1000·p⌉ − 1, clamped into the 100 fine bins of its reliability bin
    /// (`calibrationBin`, an expression or column). The floating-point product can put a score on or next to a
    /// reliability edge one fine bin off; the clamp keeps every fine bin inside one reliability bin, so those are
    /// exact unions, while the fine bins stay ordered like the scores (both parts are monotone).
    func scoreBin(_ score: String, calibrationBin: String) -> String {
        let perBin = BinnedPerformance.binCount / BinnedPerformance.calibrationBinCount
        return "LEAST(GREATEST(CEIL(\(score) * \(BinnedPerformance.binCount)) - 1, \(perBin) * (\(calibrationBin))), \(perBin) * (\(calibrationBin)) + \(perBin - 1))"
    }

    /// (score − y)², 0 where it is below the smallest double (|score − y| < 1e-160: a square under 1e-320, which
    /// exact mode's sum rounds away, where PostgreSQL raises "value out of range: underflow" instead).
    func squaredError(_ score: String, label y: String) -> String {
        "CASE WHEN ABS(\(score) - \(y)) < \(double(1e-160)) THEN 0 ELSE (\(score) - \(y)) * (\(score) - \(y)) END"
    }

    // MARK: - Moments

    /// Magnitude classes of the moments: each class's values are multiplied by a power of two (exact) so that
    /// the engine's running sums and squares neither overflow nor underflow for any finite double (up to 2^40
    /// rows): |x| ≥ 2^256 times 2^−700, 0 < |x| < 2^−256 times 2^700, the rest (and 0) unscaled.
    static let magnitudeClasses: [(scale: Double, unit: Double)] = [
        (0x1p700, 0x1p-700),
        (1, 1),
        (0x1p-700, 0x1p700),
    ]

    /// Number of columns `moments(_:)` adds.
    static let momentColumnCount = 3 * magnitudeClasses.count + 2

    /// `, COUNT, AVG, VAR_SAMP` of each magnitude class of `value` (finite or NULL), then `, MIN, MAX`; read back
    /// with ``MomentStats/init(row:first:)``.
    func moments(_ value: String) -> String {
        let small = double(0x1p-256), large = double(0x1p256)
        let conditions = [
            "\(value) <> 0 AND ABS(\(value)) < \(small)",
            "(\(value) = 0 OR (ABS(\(value)) >= \(small) AND ABS(\(value)) < \(large)))",
            "ABS(\(value)) >= \(large)",
        ]
        var sql = ""
        for (condition, magnitude) in zip(conditions, Self.magnitudeClasses) {
            let scaled = magnitude.scale == 1 ? "CASE WHEN \(condition) THEN \(value) END"
                : "CASE WHEN \(condition) THEN \(value) * \(double(magnitude.scale)) END"
            sql += ", COUNT(\(scaled)), AVG(\(scaled)), VAR_SAMP(\(scaled))"
        }
        return sql + ", MIN(\(value)), MAX(\(value))"
    }

    // MARK: - Profile bins

    /// The bin of `value` among right-closed `edges` (0 … edges.count), as the reference profile bins it.
    func bin(_ value: String, edges: [Double]) -> String {
        guard !edges.isEmpty else { return "0" }
        var sql = "CASE"
        for (index, edge) in edges.enumerated() { sql += " WHEN \(value) <= \(double(edge)) THEN \(index)" }
        return sql + " ELSE \(edges.count) END"
    }
}
