import LineProtocol
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics
import PostgresSource

/// Push-down of a regression model's performance windows: the database aggregates, per window, version and
/// segment value, the moments of e = prediction − target, |e|, e², the target and the prediction, and
/// Σ|e|/max(|y|, eps); ``RegressionMoments`` finishes MAE, MSE, RMSE, R², bias, MAPE, max error and the three
/// intervals. The median absolute error, the residual quantiles and the target's distribution (`modelwatch_label`
/// beyond its count) need the rows and are written by exact mode only.
extension PushdownEvaluator {
    /// The mergeable statistics of one regression slice (segment values beyond the cap fold into `(other)`).
    struct RegressionSlice {
        var scored = 0
        var error = MomentStats()
        var absolute = MomentStats()
        var squared = MomentStats()
        var target = MomentStats()
        var prediction = MomentStats()
        var percentage = 0.0

        mutating func merge(_ other: RegressionSlice) {
            scored += other.scored
            error.merge(other.error)
            absolute.merge(other.absolute)
            squared.merge(other.squared)
            target.merge(other.target)
            prediction.merge(other.prediction)
            percentage += other.percentage
        }

        var moments: RegressionMoments? {
            guard error.count > 0 else { return nil }
            return RegressionMoments(
                n: error.count, meanError: error.mean, errorStandardDeviation: error.std,
                meanAbsoluteError: absolute.mean, absoluteErrorStandardDeviation: absolute.std,
                meanSquaredError: squared.mean, squaredErrorStandardDeviation: squared.std, maxAbsoluteError: absolute.max ?? 0,
                targetSquaredDeviations: (target.scaledSquaredDeviations, target.unit),
                constantTarget: target.min == target.max, absolutePercentageErrorSum: percentage)
        }
    }

    /// Writes `modelwatch_regression` (all rows and capped segment slices), the target count in `modelwatch_label`
    /// and `modelwatch_join` of every performance window.
    func regressionPerformance(scores: any PushdownSource, labels: any PushdownSource, binding: PushdownTimeBinding, into outcome: inout Outcome) throws(JobError) {
        let dialect = scores.dialect
        let q = dialect.quote
        let windows = plan.performanceWindows
        let windowMs = model.windowSeconds * 1000
        let start = windows.map(\.range.startMs).min()!
        let source = model.scores, labelSource = model.labels
        let time = q(source.timeColumn), labelTime = q(labelSource.timeColumn!)
        let scoreWhere = scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : ""
        let labelWhere = labels.isTable ? " WHERE \(labelTime) >= $1 AND \(labelTime) <= $3" : ""
        let aggregates = AggregateSQL(dialect: dialect)
        let columns = model.segmentColumns
        let (segmentSelect, segmentCarry, output, grouping) = segmentSQL(dialect, keys: "w, version")
        // e² is 0 below |e| < 1e-160 (PostgreSQL raises an underflow where exact mode's sum rounds it away).
        let squared = "CASE WHEN ABS(e) < \(aggregates.double(1e-160)) THEN 0 ELSE e * e END"
        let eps = aggregates.double(Double.ulpOfOne)
        let sql = """
            WITH s AS (
              SELECT \(q(source.idColumn)) AS id, \(scores.epochMillisSQL(time, column: source.timeColumn)) AS t,
                     CAST(\(q(source.scoreColumn)) AS \(dialect.doubleType)) AS p, \(versionSQL(dialect)) AS version\(segmentSelect)
              FROM \(scores.from)\(scoreWhere)
            ), l AS (
              SELECT id, y FROM (
                SELECT \(q(labelSource.idColumn)) AS id, CAST(\(q(labelSource.labelColumn)) AS \(dialect.doubleType)) AS y,
                       ROW_NUMBER() OVER (PARTITION BY \(q(labelSource.idColumn)) ORDER BY \(labelTime) DESC) AS r
                FROM \(labels.from)\(labelWhere)
              ) ranked WHERE r = 1
            ), c AS (
              SELECT FLOOR((s.t - \(start)) / \(windowMs)) AS w, s.version\(segmentCarry),
                     CASE WHEN s.p IS NOT NULL AND s.p <> 'NaN' THEN 1 ELSE 0 END AS scored,
                     CASE WHEN l.y IS NOT NULL THEN 1 ELSE 0 END AS labelled,
                     CASE WHEN s.p <> 'NaN' AND l.y IS NOT NULL THEN s.p END AS p,
                     CASE WHEN s.p <> 'NaN' THEN l.y END AS y,
                     CASE WHEN s.p <> 'NaN' THEN s.p - l.y END AS e
              FROM s LEFT JOIN l ON l.id = s.id
            )
            SELECT CAST(w AS BIGINT), version, COUNT(*), SUM(scored), SUM(labelled), SUM(ABS(e) / GREATEST(ABS(y), \(eps)))\(aggregates.moments("e"))\(aggregates.moments("ABS(e)"))\(aggregates.moments(squared))\(aggregates.moments("y"))\(aggregates.moments("p"))\(output)
            FROM c
            GROUP BY \(grouping)
            """
        let width = AggregateSQL.momentColumnCount
        let first = 6
        let firstSegmentColumn = first + 5 * width
        var all: [Int: [String: RegressionSlice]] = [:]
        var segments: [Int: [String: [SliceKey: RegressionSlice]]] = [:]
        var segmentVolumes: [Int: [[String: Int]]] = [:]
        var rowsPerWindow: [Int: (rows: Int, labelled: Int)] = [:]
        try scores.aggregate(sql, bounds: [start, plan.asOfMs, plan.asOfMs], binding: binding, key: scores.relationKey) { row in
            guard let w = row.string(0).flatMap({ Int($0) }), let version = row.string(1),
                  let count = row.string(2).flatMap({ Int($0) }) else { return }
            var slice = RegressionSlice()
            slice.scored = row.string(3).flatMap { Int($0) } ?? 0
            slice.percentage = row.double(5) ?? 0
            let labelled = row.string(4).flatMap { Int($0) } ?? 0
            slice.error = MomentStats(row: row, first: first)
            slice.absolute = MomentStats(row: row, first: first + width)
            slice.squared = MomentStats(row: row, first: first + 2 * width)
            slice.target = MomentStats(row: row, first: first + 3 * width)
            slice.prediction = MomentStats(row: row, first: first + 4 * width)
            var key = SliceKey(column: -1, value: Tags.allValue)
            for index in columns.indices where row.string(firstSegmentColumn + 2 * index + 1) == "0" {
                key = SliceKey(column: index, value: SegmentValueTag.written(row.string(firstSegmentColumn + 2 * index) ?? ""))
            }
            if key.column >= 0 {
                if segmentVolumes[w] == nil { segmentVolumes[w] = Array(repeating: [:], count: columns.count) }
                segmentVolumes[w]![key.column][key.value, default: 0] += count
                segments[w, default: [:]][version, default: [:]][key, default: RegressionSlice()].merge(slice)
            } else {
                all[w, default: [:]][version, default: RegressionSlice()].merge(slice)
                rowsPerWindow[w, default: (0, 0)].rows += count
                rowsPerWindow[w, default: (0, 0)].labelled += labelled
            }
        }
        let modelTag = (key: Tags.model, value: model.name)
        for window in windows {
            let w = Int((window.range.startMs - start) / windowMs)
            let timestamp = window.range.endMs
            var versions = Set(all[w]?.keys.map { $0 } ?? [])
            if versions.isEmpty { versions = [model.staticVersion] }
            let mapped = (segmentVolumes[w] ?? []).map { Self.capSegments($0, cap: model.segmentCap) }
            for version in versions.sorted() {
                var slices: [(tags: [(key: String, value: String)], stats: RegressionSlice)] = [
                    ([modelTag, (Tags.version, version), (Tags.segment, Tags.allValue), (Tags.segmentValue, Tags.allValue)], all[w]?[version] ?? RegressionSlice()),
                ]
                for (column, name) in columns.enumerated() {
                    var folded: [String: RegressionSlice] = [:]
                    for (key, value) in segments[w]?[version] ?? [:] where key.column == column {
                        folded[mapped[column][key.value] ?? Tags.otherValue, default: RegressionSlice()].merge(value)
                    }
                    for (value, stats) in folded.sorted(by: { $0.key < $1.key }) {
                        slices.append(([modelTag, (Tags.version, version), (Tags.segment, name), (Tags.segmentValue, value)], stats))
                    }
                }
                for (index, (tags, stats)) in slices.enumerated() {
                    let result = RegressionMoments.result(stats.moments)
                    let sufficient = result.n >= model.minimumSamples.n
                    if index == 0, !window.provisional { outcome.finalTaskResults.append((version, .regression(result), sufficient)) }
                    outcome.points.append(PointBuilder.regression(
                        result, tags: tags, timestampMs: timestamp, scored: stats.scored, sufficient: sufficient, provisional: window.provisional,
                        meanPrediction: stats.prediction.count > 0 ? stats.prediction.mean : nil,
                        meanTarget: stats.target.count > 0 ? stats.target.mean : nil))
                    var label = Point(measurement: Schema.label.name, tags: tags, timestampMs: timestamp)
                    label.add("count", stats.target.count)
                    outcome.points.append(label)
                }
            }
            if !window.provisional {
                let counts = rowsPerWindow[w] ?? (0, 0)
                appendJoinPoint(rows: counts.rows, labelled: counts.labelled, timestampMs: timestamp, into: &outcome)
            }
        }
        outcome.rowsRead += rowsPerWindow.values.reduce(0) { $0 + $1.rows }
    }
}
