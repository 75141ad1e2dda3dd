import DriftMetrics
import Foundation
import HTTPTransport
import HiveServer2
import InputParsing
import LineProtocol
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics
import PostgresSource

/// Push-down mode (`scores.postgres.mode: pushdown`, or a `scores.spark` source): the database (PostgreSQL, or
/// Spark SQL over HiveServer2) aggregates sufficient statistics with GROUP BY and modelwatch finishes the metrics,
/// writing the same measurements as exact mode. The queries are written once; ``PushdownSource`` and
/// ``AggregateSQL/Dialect`` hold what differs between the engines.
///
/// What is written (docs/postgres.md has the full table):
/// - `modelwatch_performance` per performance window, version and segment slice (GROUPING SETS; values beyond
///   the cap folded into `(other)` as in exact mode): n, n_pos, n_neg,
///   n_scored, label_coverage, base_rate, mean_score, log_loss, brier, observed_expected (exact sums);
///   auc and average_precision of the 1000-bin histogram, or exact in a window with at most ``exactScoreLimit``
///   distinct scores (grouped by the score itself); ece, mce and the 10 reliability bins (exact:
///   they are unions of score bins); `modelwatch_threshold` (exact counts); `modelwatch_calibration_bin`.
/// - `modelwatch_output` for the input window, per version and capped segment value (PushdownInputSlices.swift):
///   count, missing_rate, mean, std, min, max, zero_rate, psi, js, and `modelwatch_output_threshold`;
///   `modelwatch_feature` / `modelwatch_feature_category` (PushdownFeatures.swift).
/// - `modelwatch_join` for the final window: scored, labelled, unlabelled, label_coverage.
/// Absent: the DeLong interval, the recalibration fit, top-k, quantiles and KS, and the orphan/duplicate/late
/// label counts.
struct PushdownEvaluator {
    let model: ModelConfiguration
    let plan: EvaluationPlan
    let profile: ReferenceProfile?
    /// A performance window with at most this many distinct valid scores (counted first, one cheap query on the
    /// score table) is grouped by the exact score as well as the bin, so its AUC and AP are exact mode's; 0 turns
    /// it off. 20,000 covers scores rounded to 4 decimals (at most 10,001 values in [0, 1]); the rows returned
    /// per window are at most the limit × versions × (1 + segment values).
    let exactScoreLimit: Int

    init(model: ModelConfiguration, plan: EvaluationPlan, profile: ReferenceProfile?, exactScoreLimit: Int = 20_000) {
        self.model = model
        self.plan = plan
        self.profile = profile
        self.exactScoreLimit = exactScoreLimit
    }

    struct Outcome {
        var points: [Point] = []
        var finalPerformance: [(version: String, result: PerformanceResult, sufficient: Bool)] = []
        /// A regression or multiclass model's final-window result per version (TaskAggregateSQL.swift,
        /// MulticlassAggregateSQL.swift).
        var finalTaskResults: [(version: String, result: TaskResult, sufficient: Bool)] = []
        /// Worst-case AUC error of each (window end, version), for the log and the tests.
        var aucErrorBounds: [String: Double] = [:]
        /// Worst-case AP error of each (window end, version) (``BinnedPerformance/averagePrecisionErrorBound``).
        var averagePrecisionErrorBounds: [String: Double] = [:]
        /// Features push-down cannot aggregate (a numeric feature whose column is not a number type), one
        /// message each, for the log and the summary.
        var leftOut: [String] = []
        /// Features whose query failed on the data (SQLSTATE class 22), one message each: the model exits 65,
        /// with the other features' and the performance points written.
        var dataErrors: [String] = []
        var inputRows = 0
        var labelsMatched = 0
        var rowsRead = 0
    }

    static let epsilon = "2.220446049250313e-16"

    /// `transport` carries the HiveServer2 calls of a Spark source.
    func evaluate(transport: any HTTPTransport = CurlTransport()) throws(JobError) -> Outcome {
        let scoresKey = "models[\(model.name)].scores"
        let labelsKey = "models[\(model.name)].labels"
        let scores: any PushdownSource, labels: any PushdownSource
        let labelTime: String
        if let scoreSource = model.scores.spark {
            guard let labelSource = model.labels.spark, let time = model.labels.timeColumn,
                  labelSource.endpoint.url == scoreSource.endpoint.url else {
                throw JobError(.configError, "\(labelsKey).spark: push-down joins in Spark, so the labels must be a Spark source on the same endpoint (url and http_path) as the scores")
            }
            labelTime = time
            let sparkScores = try SparkRecords(scoreSource, key: scoresKey, timestampUnit: model.scores.timestampUnit, transport: transport)
            scores = sparkScores
            labels = try SparkRecords(labelSource, key: labelsKey, timestampUnit: model.labels.timestampUnit, transport: transport, sharing: sparkScores)
        } else {
            guard let scoreSource = model.scores.postgres else {
                throw JobError(.configError, "models[\(model.name)].scores.postgres: push-down needs a PostgreSQL or Spark score source")
            }
            guard let labelSource = model.labels.postgres, let time = model.labels.timeColumn,
                  labelSource.settings == scoreSource.settings else {
                throw JobError(.configError, "models[\(model.name)].labels.postgres: push-down joins in the database, so the labels must be a PostgreSQL source in the same database as the scores")
            }
            labelTime = time
            scores = try PostgresRecords(scoreSource, key: scoresKey, timestampUnit: model.scores.timestampUnit)
            labels = try PostgresRecords(labelSource, key: labelsKey, timestampUnit: model.labels.timestampUnit)
        }
        let source = model.scores
        var scoreColumns = [source.idColumn, source.timeColumn, source.scoreColumn]
        var scoreKeys = ["id", "time", "score"].map { "\(scoresKey).columns.\($0)" }
        if let version = source.versionColumn {
            scoreColumns.append(version)
            scoreKeys.append("\(scoresKey).columns.version")
        }
        try scores.checkColumns(
            scoreColumns + model.segmentColumns,
            columnKeys: scoreKeys + model.segmentColumns.map { _ in "models[\(model.name)].segments" })
        try labels.checkColumns([model.labels.idColumn, model.labels.labelColumn, labelTime], columnKeys: ["id", "label", "time"].map { "\(labelsKey).columns.\($0)" })
        let scoreBinding = try scores.pushdownTimeBinding(column: source.timeColumn, columnKey: "\(scoresKey).columns.time")
        let labelBinding = try labels.pushdownTimeBinding(column: labelTime, columnKey: "\(labelsKey).columns.time")
        guard scoreBinding.type == labelBinding.type else {
            throw JobError(.configError, "\(labelsKey).columns.time: push-down binds one time range to both tables, so the score and label time columns need the same kind of type (both timestamps, or both epoch numbers in the same unit)")
        }

        var outcome = Outcome()
        switch model.task {
        case .regression: try regressionPerformance(scores: scores, labels: labels, binding: scoreBinding, into: &outcome)
        case .multiclass: try multiclassPerformance(scores: scores, labels: labels, binding: scoreBinding, into: &outcome)
        case .binary: try performance(scores: scores, labels: labels, binding: scoreBinding, into: &outcome)
        }
        let capping = model.task == .multiclass
            ? try multiclassOutput(scores: scores, binding: scoreBinding, into: &outcome)
            : try output(scores: scores, binding: scoreBinding, into: &outcome)
        try features(scores: scores, binding: scoreBinding, profile: profile, capping: capping, into: &outcome)
        return outcome
    }

    func versionSQL(_ dialect: AggregateSQL.Dialect) -> String {
        model.scores.versionColumn.map { "CAST(\(dialect.quote($0)) AS \(dialect.textType))" } ?? dialect.literal(model.staticVersion)
    }

    // MARK: - Performance

    private func performance(scores: any PushdownSource, labels: any PushdownSource, binding: PushdownTimeBinding, into outcome: inout Outcome) throws(JobError) {
        let dialect = scores.dialect
        let q = dialect.quote
        let windows = plan.performanceWindows
        let windowMs = model.windowSeconds * 1000
        let start = windows.map(\.range.startMs).min()!
        // Up to T even without restatement, so a query source's $2 also bounds its labels at T.
        let end = plan.asOfMs
        let source = model.scores
        let labelSource = model.labels
        let time = q(source.timeColumn)
        let labelTime = q(labelSource.timeColumn!)
        let scoreWhere = scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : ""
        let labelWhere = labels.isTable ? " WHERE \(labelTime) >= $1 AND \(labelTime) <= $3" : ""
        let eps = Self.epsilon
        let aggregates = AggregateSQL(dialect: dialect)
        let windowSQL = "FLOOR((\(scores.epochMillisSQL(time, column: source.timeColumn)) - \(start)) / \(windowMs))"
        // The windows with few distinct scores, grouped by the exact score too (their AUC and AP are exact).
        var exactWindows: [Int] = []
        if exactScoreLimit > 0 {
            let distinct = """
                SELECT CAST(w AS BIGINT), COUNT(DISTINCT score) FROM (
                  SELECT \(windowSQL) AS w, CAST(\(q(source.scoreColumn)) AS \(dialect.doubleType)) AS score
                  FROM \(scores.from)\(scoreWhere)
                ) AS d
                WHERE score >= 0 AND score <= 1
                GROUP BY w
                """
            try scores.aggregate(distinct, bounds: [start, end, plan.asOfMs], binding: binding, key: scores.relationKey) { row in
                if let w = row.string(0).flatMap({ Int($0) }), let count = row.string(1).flatMap({ Int($0) }), count <= exactScoreLimit {
                    exactWindows.append(w)
                }
            }
        }
        let exactScore = exactWindows.isEmpty ? "CAST(NULL AS \(dialect.doubleType))"
            : "CASE WHEN w IN (\(exactWindows.sorted().map(String.init).joined(separator: ", "))) THEN score END"
        let (segmentSelect, segmentCarry, segmentOutput, grouping) = segmentSQL(dialect, keys: "w, version, b, e")
        var thresholdColumns = ""
        for threshold in model.thresholds {
            let t = dialect.number(threshold)
            thresholdColumns += ",\n  SUM(CASE WHEN y = 1 AND score >= \(t) THEN 1 ELSE 0 END), SUM(CASE WHEN y = 0 AND score >= \(t) THEN 1 ELSE 0 END)"
        }
        let sql = """
            WITH s AS (
              SELECT \(q(source.idColumn)) AS id, \(windowSQL) AS w,
                     CAST(\(q(source.scoreColumn)) AS \(dialect.doubleType)) AS score, \(versionSQL(dialect)) AS version\(segmentSelect)
              FROM \(scores.from)\(scoreWhere)
            ), l AS (
              SELECT id, y FROM (
                SELECT \(q(labelSource.idColumn)) AS id, CAST(\(q(labelSource.labelColumn)) AS INTEGER) AS y,
                       ROW_NUMBER() OVER (PARTITION BY \(q(labelSource.idColumn)) ORDER BY \(labelTime) DESC) AS r
                FROM \(labels.from)\(labelWhere)
              ) ranked WHERE r = 1
            ), c AS (
              SELECT s.w, s.version, s.score, l.y\(segmentCarry),
                     CASE WHEN s.score >= 0 AND s.score <= 1 THEN \(aggregates.calibrationBin("s.score")) ELSE -1 END AS c
              FROM s LEFT JOIN l ON l.id = s.id
            ), j AS (
              SELECT w, version, score, y\(model.segmentColumns.indices.map { ", g\($0)" }.joined()),
                     CASE WHEN c >= 0 THEN \(aggregates.scoreBin("score", calibrationBin: "c")) ELSE -1 END AS b,
                     \(exactScore) AS e
              FROM c
            )
            SELECT CAST(w AS BIGINT), version, CAST(b AS INTEGER), COUNT(*),
              SUM(CASE WHEN y = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN y = 0 THEN 1 ELSE 0 END),
              SUM(CASE WHEN y IS NOT NULL THEN score ELSE 0 END),
              SUM(CASE WHEN y = 1 THEN -LN(GREATEST(LEAST(score, 1 - \(eps)), \(eps)))
                       WHEN y = 0 THEN -LN(GREATEST(LEAST(1 - score, 1 - \(eps)), \(eps))) ELSE 0 END),
              SUM(CASE WHEN y IS NOT NULL THEN \(aggregates.squaredError("score", label: "y")) ELSE 0 END)\(thresholdColumns)\(segmentOutput), e
            FROM j
            GROUP BY \(grouping)
            """
        let segmentCount = model.segmentColumns.count
        let firstSegmentColumn = 9 + 2 * model.thresholds.count
        let exactColumn = firstSegmentColumn + 2 * segmentCount
        /// Per window, version and slice (segment column index, -1 for all rows; value).
        var segmentStats: [Int: [String: [SliceKey: BinnedPerformance]]] = [:]
        /// Per window and segment column: rows per value (all versions), to cap each window by its own rows.
        var segmentVolumes: [Int: [[String: Int]]] = [:]
        var stats: [Int: [String: BinnedPerformance]] = [:]
        var rowsPerWindow: [Int: [String: (rows: Int, labelled: Int)]] = [:]
        let thresholdCount = model.thresholds.count
        try scores.aggregate(sql, bounds: [start, end, plan.asOfMs], binding: binding, key: scores.relationKey) { row in
            guard let w = row.string(0).flatMap({ Int($0) }), let version = row.string(1),
                  let b = row.string(2).flatMap({ Int($0) }), let count = row.string(3).flatMap({ Int($0) }) else { return }
            let positives = row.string(4).flatMap { Int($0) } ?? 0
            let negatives = row.string(5).flatMap { Int($0) } ?? 0
            // Which grouping set: the segment column whose GROUPING() flag is 0, or none (all rows).
            var slice = SliceKey(column: -1, value: Tags.allValue)
            for index in 0..<segmentCount where row.string(firstSegmentColumn + 2 * index + 1) == "0" {
                let value = row.string(firstSegmentColumn + 2 * index) ?? ""
                slice = SliceKey(column: index, value: SegmentValueTag.written(value))
            }
            if slice.column >= 0 {
                segmentVolumes[w, default: Array(repeating: [:], count: segmentCount)][slice.column][slice.value, default: 0] += count
                guard b >= 0 else { return }
                var binned = segmentStats[w]?[version]?[slice] ?? BinnedPerformance(thresholdCount: thresholdCount)
                binned.add(row: row, bin: b, count: count, positives: positives, negatives: negatives, thresholdCount: thresholdCount, exactScore: row.double(exactColumn))
                segmentStats[w, default: [:]][version, default: [:]][slice] = binned
                return
            }
            rowsPerWindow[w, default: [:]][version, default: (0, 0)].rows += count
            rowsPerWindow[w, default: [:]][version, default: (0, 0)].labelled += positives + negatives
            guard b >= 0 else { return }
            var binned = stats[w]?[version] ?? BinnedPerformance(thresholdCount: thresholdCount)
            binned.add(row: row, bin: b, count: count, positives: positives, negatives: negatives, thresholdCount: thresholdCount, exactScore: row.double(exactColumn))
            stats[w, default: [:]][version] = binned
        }
        let modelTag = (key: Tags.model, value: model.name)
        let thresholdLabels = model.thresholds.map(ModelEvaluator.label)
        for window in windows {
            let w = Int((window.range.startMs - start) / windowMs)
            let timestamp = window.range.endMs
            var versions = Set(rowsPerWindow[w]?.keys.map { $0 } ?? [])
            if versions.isEmpty { versions = [model.staticVersion] }
            for version in versions.sorted() {
                let binned = stats[w]?[version] ?? BinnedPerformance(thresholdCount: thresholdCount)
                let result = binned.result(thresholds: model.thresholds)
                let sufficient = model.minimumSamples.admitPerformance(n: result.n, positives: result.nPositive, negatives: result.nNegative)
                let tags = [modelTag, (Tags.version, version), (Tags.segment, Tags.allValue), (Tags.segmentValue, Tags.allValue)]
                outcome.points += PointBuilder.performance(
                    result, tags: tags, timestampMs: timestamp, scored: binned.scored, sufficient: sufficient,
                    provisional: window.provisional, thresholdLabels: thresholdLabels, topKLabels: [])
                if let bound = binned.aucErrorBound { outcome.aucErrorBounds["\(TimeText.format(timestamp)) \(version)"] = bound }
                if let bound = binned.averagePrecisionErrorBound {
                    outcome.averagePrecisionErrorBounds["\(TimeText.format(timestamp)) \(version)"] = bound
                }
                if !window.provisional { outcome.finalPerformance.append((version, result, sufficient)) }
                // Segment slices, values beyond the window's cap folded into `(other)` (statistics are sums, so
                // folding is exact).
                let mapped = (segmentVolumes[w] ?? []).map { Self.capSegments($0, cap: model.segmentCap) }
                for (column, name) in model.segmentColumns.enumerated() {
                    var folded: [String: BinnedPerformance] = [:]
                    for (key, value) in segmentStats[w]?[version] ?? [:] where key.column == column {
                        let target = mapped[column][key.value] ?? Tags.otherValue
                        if folded[target] == nil { folded[target] = value } else { folded[target]!.merge(value) }
                    }
                    for (value, sliceStats) in folded.sorted(by: { $0.key < $1.key }) {
                        let sliceResult = sliceStats.result(thresholds: model.thresholds)
                        let sliceSufficient = model.minimumSamples.admitPerformance(
                            n: sliceResult.n, positives: sliceResult.nPositive, negatives: sliceResult.nNegative)
                        outcome.points += PointBuilder.performance(
                            sliceResult, tags: [modelTag, (Tags.version, version), (Tags.segment, name), (Tags.segmentValue, value)],
                            timestampMs: timestamp, scored: sliceStats.scored, sufficient: sliceSufficient,
                            provisional: window.provisional, thresholdLabels: thresholdLabels, topKLabels: [])
                    }
                }
            }
            if !window.provisional {
                let counts = rowsPerWindow[w]?.values.reduce((0, 0)) { ($0.0 + $1.rows, $0.1 + $1.labelled) } ?? (0, 0)
                appendJoinPoint(rows: counts.0, labelled: counts.1, timestampMs: timestamp, into: &outcome)
            }
        }
        outcome.rowsRead += rowsPerWindow.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.rows } }
    }

    /// The final window's `modelwatch_join` point from its scored and labelled row counts (every task), which also
    /// sets the outcome's matched labels.
    func appendJoinPoint(rows: Int, labelled: Int, timestampMs: Int64, into outcome: inout Outcome) {
        outcome.labelsMatched = labelled
        var point = Point(measurement: Schema.join.name, tags: [(key: Tags.model, value: model.name)], timestampMs: timestampMs)
        point.add("scored", rows)
        point.add("labelled", labelled)
        point.add("unlabelled", rows - labelled)
        point.add("label_coverage", rows == 0 ? nil : Double(labelled) / Double(rows))
        outcome.points.append(point)
    }

    /// A slice of a window and version: a segment column (-1 for all rows) and its value.
    struct SliceKey: Hashable {
        let column: Int
        let value: String
    }

    /// Segment value → written value for one window, like exact mode's ``SegmentCapping``: with more than `cap`
    /// values, the `cap − 1` most frequent (ties by byte order) are kept and the rest map to nothing (→ `(other)`).
    static func capSegments(_ volumes: [String: Int], cap: Int) -> [String: String] {
        let order = volumes.keys.sorted {
            volumes[$0]! != volumes[$1]! ? volumes[$0]! > volumes[$1]! : Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
        }
        let kept = volumes.count > cap ? Array(order.prefix(max(cap - 1, 0))) : order
        return Dictionary(uniqueKeysWithValues: kept.map { ($0, $0) })
    }

    /// The SELECT, carry and output fragments and the GROUP BY clause for segment grouping sets.
    /// The segment columns' SQL pieces: the `g<i>` select of the score CTE, their carry through the join, the
    /// output columns with their `GROUPING` flags, and the grouping over `keys` alone and with each segment column.
    func segmentSQL(_ dialect: AggregateSQL.Dialect, keys: String = "w, version, b") -> (select: String, carry: String, output: String, grouping: String) {
        let columns = model.segmentColumns
        guard !columns.isEmpty else { return ("", "", "", keys) }
        let select = columns.enumerated().map { ", CAST(\(dialect.quote($0.element)) AS \(dialect.textType)) AS g\($0.offset)" }.joined()
        let carry = columns.indices.map { ", s.g\($0)" }.joined()
        let output = columns.indices.map { ", g\($0), GROUPING(g\($0))" }.joined()
        let sets = ["(\(keys))"] + columns.indices.map { "(\(keys), g\($0))" }
        return (select, carry, output, "GROUPING SETS (\(sets.joined(separator: ", ")))")
    }

    // MARK: - Output (input window)

    /// The output statistics of one input-window slice (mergeable, for `(other)`).
    struct OutputStats {
        var count = 0
        var moments = MomentStats()
        var zeros = 0
        /// Per threshold, valid scores at or above it; then the counts in the profile's score bins.
        var counts: [Int] = []

        mutating func merge(_ other: OutputStats) {
            count += other.count
            moments.merge(other.moments)
            zeros += other.zeros
            counts = counts.addingCounts(other.counts)
        }
    }

    /// Writes the output points of every input-window slice and returns the segment capping of the window, which
    /// the feature queries apply too.
    private func output(scores: any PushdownSource, binding: PushdownTimeBinding, into outcome: inout Outcome) throws(JobError) -> [[String: String]] {
        let dialect = scores.dialect
        let q = dialect.quote
        let window = plan.inputWindow
        let source = model.scores
        let time = q(source.timeColumn)
        let score = "s"  // the score column, as DOUBLE PRECISION, in the subquery below
        // A valid output: a score in [0, 1], or any number for a regression model's prediction.
        let valid = model.task == .regression ? "\(score) <> 'NaN'" : "\(score) >= 0 AND \(score) <= 1"
        var thresholdColumns = ""
        for threshold in model.thresholds {
            thresholdColumns += ", SUM(CASE WHEN \(valid) AND \(score) >= \(dialect.number(threshold)) THEN 1 ELSE 0 END)"
        }
        let drift = scoreDriftSQL(profile: profile, score: score, dialect: dialect)
        let slices = PushdownInputSlices(segmentColumns: model.segmentColumns, dialect: dialect)
        let segments = slices.sql(groupingBy: ["version"])
        let carry = model.segmentColumns.indices.map { ", g\($0)" }.joined()
        let aggregates = AggregateSQL(dialect: dialect)
        let sql = """
            SELECT version, COUNT(*), SUM(CASE WHEN \(valid) THEN 1 ELSE 0 END)\(aggregates.moments("vs")),
              SUM(CASE WHEN \(valid) AND \(score) = 0 THEN 1 ELSE 0 END)\(thresholdColumns)\(drift?.columns ?? "")\(segments.output)
            FROM (
              SELECT version, \(score), CASE WHEN \(valid) THEN \(score) END AS vs\(carry)
              FROM (
                SELECT \(versionSQL(dialect)) AS version, CAST(\(q(source.scoreColumn)) AS \(dialect.doubleType)) AS \(score)\(segments.select)
                FROM \(scores.from)\(scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : "")
              ) AS scored
            ) AS rows
            \(segments.groupBy)
            """
        let zerosColumn = 3 + AggregateSQL.momentColumnCount
        let extraColumns = model.thresholds.count + (drift?.bins ?? 0)
        let firstSegmentColumn = zerosColumn + 1 + extraColumns
        var raw: [PushdownInputSlices.Key: OutputStats] = [:]
        var volumes: [Int: [String: Int]] = [:]
        try scores.aggregate(sql, bounds: [window.startMs, window.endMs], binding: binding, key: scores.relationKey) { row in
            guard let version = row.string(0), let count = row.string(1).flatMap({ Int($0) }) else { return }
            func int(_ column: Int) -> Int { row.string(column).flatMap { Int($0) } ?? 0 }
            let key = slices.slice(of: row, version: version, first: firstSegmentColumn)
            var stats = OutputStats()
            stats.count = count
            stats.moments = MomentStats(row: row, first: 3)  // its count is column 2's, the valid scores
            stats.zeros = int(zerosColumn)
            stats.counts = (0..<extraColumns).map { int(zerosColumn + 1 + $0) }
            if key.column >= 0 {
                volumes[key.column, default: [:]][key.value, default: 0] += count
            } else {
                outcome.inputRows += count
            }
            raw[key, default: OutputStats()].merge(stats)
        }
        let capping = PushdownInputSlices.capping(volumes: volumes, columns: model.segmentColumns.count, cap: model.segmentCap)
        var merged: [PushdownInputSlices.Key: OutputStats] = [:]
        for (key, stats) in raw { merged[PushdownInputSlices.written(key, capping: capping), default: OutputStats()].merge(stats) }
        for (key, stats) in merged.sorted(by: { $0.key < $1.key }) {
            outcome.points += outputPoints(stats, tags: slices.tags(key, model: model.name), timestampMs: window.endMs, driftBins: drift?.bins)
        }
        return capping
    }

    /// The `modelwatch_output` point and the output threshold points of one slice.
    private func outputPoints(_ stats: OutputStats, tags: [(key: String, value: String)], timestampMs: Int64, driftBins: Int?) -> [Point] {
        let count = stats.count, present = stats.moments.count
        var point = Point(measurement: Schema.output.name, tags: tags, timestampMs: timestampMs)
        point.add("count", count)
        point.add("missing_rate", count == 0 ? nil : Double(count - present) / Double(count))
        if present > 0 {
            point.add("mean", stats.moments.mean)
            point.add("std", stats.moments.std)
            point.add("min", stats.moments.min)
            point.add("max", stats.moments.max)
            point.add("zero_rate", Double(stats.zeros) / Double(present))
        }
        if let profile, let driftBins, count > 0 {
            let first = model.thresholds.count
            let counts = Array(stats.counts[first..<(first + driftBins)]) + [count - present]
            let reference = profile.score.binCounts + [profile.score.missingCount]
            point.add("psi", BinnedDistance.psi(reference: reference, current: counts))
            point.add("js", BinnedDistance.jensenShannon(reference: reference, current: counts))
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: count)))
            point.add("profile_fingerprint", .string(String(profile.fingerprint.prefix(16))))
        }
        var points = [point]
        if present > 0 {
            for (index, threshold) in model.thresholds.enumerated() {
                var thresholdPoint = Point(measurement: Schema.outputThreshold.name, tags: tags + [(Tags.threshold, ModelEvaluator.label(threshold))], timestampMs: timestampMs)
                thresholdPoint.add("predicted_positive_rate", Double(stats.counts[index]) / Double(present))
                points.append(thresholdPoint)
            }
        }
        return points
    }
}
