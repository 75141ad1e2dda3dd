import DriftMetrics
import InputParsing
import LineProtocol
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources

/// Input-window feature statistics in push-down mode, per slice (``PushdownInputSlices``: per version, all rows and
/// each capped segment value).
///
/// Numeric features (numeric column types only; others are left out and listed in ``Outcome/leftOut``): counts of
/// rows, NULL, NaN and ±Infinity, then mean, sample standard deviation (overflow-free moments, ``MomentStats``),
/// min, max and zero rate of the finite values, and, with a reference profile, PSI/JS from the counts in the
/// profile's bins (a CASE over the profile's edges, right-closed like the profile) plus the missing bin. A query
/// that fails on the data (SQLSTATE class 22) leaves out that feature only (``Outcome/dataErrors``). Categorical features: counts per category (GROUP BY), from which the share ranking,
/// distinct count, unseen rate, PSI and JS are exact. Absent: percentiles and KS.
extension PushdownEvaluator {
    /// One numeric feature's statistics in one slice (mergeable, for `(other)`).
    struct NumericStats {
        var count = 0
        var nonNull = 0
        var nan = 0
        var infinite = 0
        var finite = MomentStats()
        var zeros = 0
        var bins: [Int] = []

        mutating func merge(_ other: NumericStats) {
            count += other.count
            nonNull += other.nonNull
            nan += other.nan
            infinite += other.infinite
            finite.merge(other.finite)
            zeros += other.zeros
            bins = bins.addingCounts(other.bins)
        }
    }

    /// One categorical feature's counts in one slice.
    struct CategoryStats {
        var counts: [String: Int] = [:]
        var null = 0
        var empty = 0

        mutating func merge(_ other: CategoryStats) {
            counts.merge(other.counts, uniquingKeysWith: +)
            null += other.null
            empty += other.empty
        }
    }

    func features(
        scores: any PushdownSource, binding: PushdownTimeBinding, profile: ReferenceProfile?, capping: [[String: String]],
        into outcome: inout Outcome
    ) throws(JobError) {
        let window = plan.inputWindow
        let dialect = scores.dialect
        let time = dialect.quote(model.scores.timeColumn)
        let whereClause = scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : ""
        let bounds = [window.startMs, window.endMs]
        let key = "models[\(model.name)].features"
        let fingerprint = profile.map { String($0.fingerprint.prefix(16)) }
        let slices = PushdownInputSlices(segmentColumns: model.segmentColumns, dialect: dialect)
        try scores.checkColumns(model.numericFeatures, columnKeys: model.numericFeatures.map { _ in "\(key).numeric" })
        try scores.checkColumns(model.categoricalFeatures, columnKeys: model.categoricalFeatures.map { _ in "\(key).categorical" })

        let engine = dialect.identifierQuote == "`" ? "Spark" : "PostgreSQL"
        var numeric: [NumericFeature] = []
        for name in model.numericFeatures {
            let type = scores.numericColumn(name)
            guard type.isNumeric else {
                outcome.leftOut.append("\(key).numeric: feature `\(name)` is left out of push-down: its column is not a number type in \(engine) (\(type.typeName)), so the database cannot aggregate it; change the column type, cast it in a `query:` or view, or use exact mode, which parses each value")
                continue
            }
            var reference: NumericFeatureProfile?
            if let profile, case .numeric(let profiled)? = profile.features[name] { reference = profiled }
            numeric.append(NumericFeature(name: name, reference: reference))
        }
        // One statement (one scan) for all numeric features; when it fails on the data, one per feature, so the
        // feature whose data fails is named and the others are still written.
        var numericStats: [String: [PushdownInputSlices.Key: NumericStats]] = [:]
        do {
            if !numeric.isEmpty {
                numericStats = try numericStatistics(numeric, scores: scores, binding: binding, capping: capping, key: "\(key).numeric")
            }
        } catch where error.status == .dataError {
            for feature in numeric {
                do {
                    numericStats.merge(
                        try numericStatistics([feature], scores: scores, binding: binding, capping: capping, key: "\(key).numeric: feature `\(feature.name)`"),
                        uniquingKeysWith: { $1 })
                } catch where error.status == .dataError {
                    // The data of one feature (e.g. a numeric value beyond the double range): the other features and
                    // metrics are still written, and the model exits 65 naming this one.
                    outcome.dataErrors.append(error.message)
                }
            }
        }
        for feature in numeric {
            let name = feature.name, reference = feature.reference
            guard let bySlice = numericStats[name] else { continue }
            for (slice, stats) in bySlice.sorted(by: { $0.key < $1.key }) {
                let present = stats.finite.count
                var point = Point(
                    measurement: Schema.feature.name,
                    tags: slices.tags(slice, model: model.name) + [(Tags.feature, name), (Tags.featureKind, "numeric")], timestampMs: window.endMs)
                point.add("count", stats.count)
                point.add("missing_rate", stats.count == 0 ? nil : Double(stats.count - present) / Double(stats.count))
                point.add("null_count", stats.count - stats.nonNull)
                point.add("empty_count", 0)
                point.add("nan_count", stats.nan)
                point.add("inf_count", stats.infinite)
                point.add("invalid_count", 0)
                if present > 0 {
                    point.add("mean", stats.finite.mean)
                    point.add("std", stats.finite.std)
                    point.add("min", stats.finite.min)
                    point.add("max", stats.finite.max)
                    point.add("zero_rate", Double(stats.zeros) / Double(present))
                    if let reference {
                        let counts = stats.bins + [stats.count - present]
                        let referenceCounts = reference.binCounts + [reference.missingCount]
                        point.add("psi", BinnedDistance.psi(reference: referenceCounts, current: counts))
                        point.add("js", BinnedDistance.jensenShannon(reference: referenceCounts, current: counts))
                        point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: stats.count)))
                        point.add("profile_fingerprint", fingerprint.map(FieldValue.string))
                    }
                }
                outcome.points.append(point)
            }
        }

        for name in model.categoricalFeatures {
            let column = dialect.quote(name)
            let segments = slices.sql(groupingBy: ["version", "category"])
            let sql = """
                SELECT version, category, COUNT(*)\(segments.output)
                FROM (SELECT \(versionSQL(dialect)) AS version, CAST(\(column) AS \(dialect.textType)) AS category\(segments.select) FROM \(scores.from)\(whereClause)) AS rows
                \(segments.groupBy)
                """
            var bySlice: [PushdownInputSlices.Key: CategoryStats] = [:]
            do {
                try scores.aggregate(sql, bounds: bounds, binding: binding, key: "\(key).categorical: feature `\(name)`") { row in
                    guard let version = row.string(0) else { return }
                    let count = row.string(2).flatMap { Int($0) } ?? 0
                    let slice = PushdownInputSlices.written(slices.slice(of: row, version: version, first: 3), capping: capping)
                    var stats = CategoryStats()
                    switch row.kind(1) {
                    case .null: stats.null = count
                    case .empty: stats.empty = count
                    case .text: stats.counts[row.string(1) ?? ""] = count
                    }
                    bySlice[slice, default: CategoryStats()].merge(stats)
                }
            } catch where error.status == .dataError {
                outcome.dataErrors.append(error.message)
                continue
            }
            var reference: CategoricalFeatureProfile?
            if let profile, case .categorical(let categorical)? = profile.features[name] { reference = categorical }
            let bins = reference.map { CategoricalBins(profile: $0, limit: model.driftCategoryBins) }
            for (slice, stats) in bySlice.sorted(by: { $0.key < $1.key }) {
                let present = stats.counts.values.reduce(0, +)
                let total = present + stats.null + stats.empty
                let tags = slices.tags(slice, model: model.name) + [(Tags.feature, name)]
                var point = Point(measurement: Schema.feature.name, tags: tags + [(Tags.featureKind, "categorical")], timestampMs: window.endMs)
                point.add("count", total)
                point.add("missing_rate", total == 0 ? nil : Double(total - present) / Double(total))
                point.add("null_count", stats.null)
                point.add("empty_count", stats.empty)
                point.add("nan_count", 0)
                point.add("inf_count", 0)
                point.add("invalid_count", 0)
                let summary = CategoricalSummary(counts: stats.counts, reference: reference, topN: model.topCategories)
                if present > 0 {
                    point.add("distinct_count", summary.distinctCount)
                    point.add("unseen_rate", summary.unseenRate)
                }
                if let bins, present > 0 {
                    let drift = bins.compare(counts: stats.counts, missingCount: total - present)
                    point.add("psi", drift.psi)
                    point.add("js", drift.js)
                    point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: total)))
                    point.add("profile_fingerprint", fingerprint.map(FieldValue.string))
                }
                outcome.points.append(point)
                for (rank, entry) in summary.top.enumerated() {
                    var categoryPoint = Point(measurement: Schema.featureCategory.name, tags: tags + [(Tags.rank, ModelEvaluator.rank(rank + 1))], timestampMs: window.endMs)
                    categoryPoint.add("category", .string(entry.category))
                    categoryPoint.add("share", entry.share)
                    categoryPoint.add("reference_share", reference.map { $0.share(of: entry.category) })
                    outcome.points.append(categoryPoint)
                }
            }
        }
    }

    /// A numeric feature push-down aggregates, with its reference profile if it has one.
    struct NumericFeature {
        let name: String
        let reference: NumericFeatureProfile?
        /// The drift bins' count columns (none without a profile).
        var binCount: Int { reference.map { $0.edges.count + 1 } ?? 0 }
        /// The columns one feature adds: COUNT(v), NaN, ±Infinity, the moments, zeros, the bins.
        var columnCount: Int { 3 + AggregateSQL.momentColumnCount + 1 + binCount }
    }

    /// The input window's statistics of `features`, per feature and written slice, from one statement: the scan,
    /// the casts, the finite values and their profile bins of every feature side by side (`v<i>`, `fin<i>`,
    /// `fb<i>`), and after `version, COUNT(*)` one block of ``NumericFeature/columnCount`` aggregates per feature.
    func numericStatistics(
        _ features: [NumericFeature], scores: any PushdownSource, binding: PushdownTimeBinding, capping: [[String: String]], key: String
    ) throws(JobError) -> [String: [PushdownInputSlices.Key: NumericStats]] {
        let window = plan.inputWindow
        let dialect = scores.dialect
        let double = dialect.doubleType
        let aggregates = AggregateSQL(dialect: dialect)
        let time = dialect.quote(model.scores.timeColumn)
        let whereClause = scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : ""
        let slices = PushdownInputSlices(segmentColumns: model.segmentColumns, dialect: dialect)
        let segments = slices.sql(groupingBy: ["version"])
        let carry = model.segmentColumns.indices.map { ", g\($0)" }.joined()
        var casts = "", finite = "", binned = "", columns = ""
        for (i, feature) in features.enumerated() {
            let (v, fin, fb) = ("v\(i)", "fin\(i)", "fb\(i)")
            casts += ", CAST(\(dialect.quote(feature.name)) AS \(double)) AS \(v)"
            finite += ", \(v), CASE WHEN \(v) > CAST('-Infinity' AS \(double)) AND \(v) < CAST('Infinity' AS \(double)) THEN \(v) END AS \(fin)"
            // Without a profile (or this feature in it) there are no drift bins, and no bin columns.
            let binExpression = feature.reference.map { aggregates.bin(fin, edges: $0.edges) } ?? "0"
            binned += ", \(v), \(fin), CASE WHEN \(fin) IS NOT NULL THEN \(binExpression) END AS \(fb)"
            columns += """
                ,
                  COUNT(\(v)), SUM(CASE WHEN \(v) = CAST('NaN' AS \(double)) THEN 1 ELSE 0 END),
                  SUM(CASE WHEN \(v) = CAST('Infinity' AS \(double)) OR \(v) = CAST('-Infinity' AS \(double)) THEN 1 ELSE 0 END)\(aggregates.moments(fin)),
                  SUM(CASE WHEN \(fin) = 0 THEN 1 ELSE 0 END)\((0..<feature.binCount).map { ", SUM(CASE WHEN \(fb) = \($0) THEN 1 ELSE 0 END)" }.joined())
                """
        }
        let sql = """
            SELECT version, COUNT(*)\(columns)\(segments.output)
            FROM (
              SELECT version\(binned)\(carry)
              FROM (
                SELECT version\(finite)\(carry)
                FROM (SELECT \(versionSQL(dialect)) AS version\(casts)\(segments.select) FROM \(scores.from)\(whereClause)) AS rows
              ) AS finite
            ) AS x
            \(segments.groupBy)
            """
        let firstSegmentColumn = 2 + features.reduce(0) { $0 + $1.columnCount }
        var result: [String: [PushdownInputSlices.Key: NumericStats]] = [:]
        try scores.aggregate(sql, bounds: [window.startMs, window.endMs], binding: binding, key: key) { row in
            guard let version = row.string(0) else { return }
            func int(_ column: Int) -> Int { row.string(column).flatMap { Int($0) } ?? 0 }
            let slice = PushdownInputSlices.written(slices.slice(of: row, version: version, first: firstSegmentColumn), capping: capping)
            var first = 2
            for feature in features {
                var stats = NumericStats()
                stats.count = int(1)
                stats.nonNull = int(first)
                stats.nan = int(first + 1)
                stats.infinite = int(first + 2)
                stats.finite = MomentStats(row: row, first: first + 3)
                let zerosColumn = first + 3 + AggregateSQL.momentColumnCount
                stats.zeros = int(zerosColumn)
                stats.bins = (0..<feature.binCount).map { int(zerosColumn + 1 + $0) }
                result[feature.name, default: [:]][slice, default: NumericStats()].merge(stats)
                first += feature.columnCount
            }
        }
        return result
    }

    /// The counts of the input window's `score` expression in the profile's score bins, for its PSI and JS.
    func scoreDriftSQL(profile: ReferenceProfile?, score: String, dialect: AggregateSQL.Dialect) -> (columns: String, bins: Int)? {
        guard let profile else { return nil }
        let edges = profile.score.edges
        let valid = "\(score) >= 0 AND \(score) <= 1"
        let binExpression = AggregateSQL(dialect: dialect).bin(score, edges: edges)
        let columns = (0...edges.count).map { ", SUM(CASE WHEN \(valid) AND \(binExpression) = \($0) THEN 1 ELSE 0 END)" }.joined()
        return (columns, edges.count + 1)
    }
}
