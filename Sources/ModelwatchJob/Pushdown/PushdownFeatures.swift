import DriftMetrics
import InputParsing
import LineProtocol
import MetricSchema
import PostgresSource

/// Input-window feature statistics in push-down mode, per version (all-rows slice).
///
/// Numeric features (numeric column types only): counts of rows, NULL, NaN and ±Infinity, then mean,
/// sample standard deviation, min, max and zero rate of the finite values, and PSI/JS from the counts in the
/// reference profile's bins (a CASE over the profile's edges, right-closed like the profile) plus the
/// missing bin. Categorical features: counts per category (GROUP BY), from which the share ranking,
/// distinct count, unseen rate, PSI and JS are exact. Absent: percentiles and KS.
extension PushdownEvaluator {
    func features(scores: PostgresRecords, binding: PostgresRecords.TimeBinding, profile: ReferenceProfile?, into outcome: inout Outcome) throws(JobError) {
        let window = plan.inputWindow
        let time = PostgresConnection.quoteIdentifier(model.scores.timeColumn)
        let whereClause = scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : ""
        let parameters = [binding.format(window.startMs), binding.format(window.endMs)]
        let types = [binding.type, binding.type]
        let key = "models[\(model.name)].features"
        let modelTag = (key: Tags.model, value: model.name)
        let fingerprint = profile.map { String($0.fingerprint.prefix(16)) }
        let numericTypes: Set<UInt32> = [
            PostgresConnection.TypeOID.int2, PostgresConnection.TypeOID.int4, PostgresConnection.TypeOID.int8,
            PostgresConnection.TypeOID.numeric, PostgresConnection.TypeOID.float4, PostgresConnection.TypeOID.float8,
        ]
        try scores.checkColumns(model.numericFeatures, columnKeys: model.numericFeatures.map { _ in "\(key).numeric" })
        try scores.checkColumns(model.categoricalFeatures, columnKeys: model.categoricalFeatures.map { _ in "\(key).categorical" })

        for name in model.numericFeatures where numericTypes.contains(scores.columnTypes[name] ?? 0) {
            let column = "CAST(\(PostgresConnection.quoteIdentifier(name)) AS DOUBLE PRECISION)"
            var reference: NumericFeatureProfile?
            if let profile, case .numeric(let numeric)? = profile.features[name] { reference = numeric }
            let edges = reference?.edges ?? []
            var binExpression = "CASE"
            for (index, edge) in edges.enumerated() { binExpression += " WHEN fin <= CAST(\(edge) AS DOUBLE PRECISION) THEN \(index)" }
            binExpression += " ELSE \(edges.count) END"
            let binColumns = (0...edges.count).map { ", SUM(CASE WHEN fin IS NOT NULL AND \(binExpression) = \($0) THEN 1 ELSE 0 END)" }.joined()
            let sql = """
                SELECT version, COUNT(*), COUNT(v),
                  SUM(CASE WHEN v = CAST('NaN' AS DOUBLE PRECISION) THEN 1 ELSE 0 END),
                  SUM(CASE WHEN v = CAST('Infinity' AS DOUBLE PRECISION) OR v = CAST('-Infinity' AS DOUBLE PRECISION) THEN 1 ELSE 0 END),
                  COUNT(fin), AVG(fin), STDDEV_SAMP(fin), MIN(fin), MAX(fin), SUM(CASE WHEN fin = 0 THEN 1 ELSE 0 END)\(binColumns)
                FROM (
                  SELECT version, v, CASE WHEN v > CAST('-Infinity' AS DOUBLE PRECISION) AND v < CAST('Infinity' AS DOUBLE PRECISION) THEN v END AS fin
                  FROM (SELECT \(versionSQL) AS version, \(column) AS v FROM \(scores.from)\(whereClause)) AS rows
                ) AS x
                GROUP BY version ORDER BY version
                """
            try scores.run(sql, parameters: parameters, types: types, key: "\(key).numeric") { row in
                guard let version = row.string(0) else { return }
                func int(_ column: Int) -> Int { row.string(column).flatMap { Int($0) } ?? 0 }
                let total = int(1), nonNull = int(2), nan = int(3), infinite = int(4), present = int(5)
                let tags = [modelTag, (Tags.version, version), (Tags.segment, Tags.allValue), (Tags.segmentValue, Tags.allValue)]
                var point = Point(measurement: Schema.feature.name, tags: tags + [(Tags.feature, name), (Tags.featureKind, "numeric")], timestampMs: window.endMs)
                point.add("count", total)
                point.add("missing_rate", total == 0 ? nil : Double(total - present) / Double(total))
                point.add("null_count", total - nonNull)
                point.add("empty_count", 0)
                point.add("nan_count", nan)
                point.add("inf_count", infinite)
                point.add("invalid_count", 0)
                if present > 0 {
                    point.add("mean", row.double(6))
                    point.add("std", row.kind(7) == .text ? row.double(7) : nil)
                    point.add("min", row.double(8))
                    point.add("max", row.double(9))
                    point.add("zero_rate", Double(int(10)) / Double(present))
                    if let reference {
                        let counts = (0...edges.count).map { int(11 + $0) } + [total - present]
                        let referenceCounts = reference.binCounts + [reference.missingCount]
                        point.add("psi", BinnedDistance.psi(reference: referenceCounts, current: counts))
                        point.add("js", BinnedDistance.jensenShannon(reference: referenceCounts, current: counts))
                        point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: total)))
                        point.add("profile_fingerprint", fingerprint.map(FieldValue.string))
                    }
                }
                outcome.points.append(point)
            }
        }

        for name in model.categoricalFeatures {
            let column = PostgresConnection.quoteIdentifier(name)
            let sql = """
                SELECT \(versionSQL) AS version, CAST(\(column) AS TEXT) AS category, COUNT(*)
                FROM \(scores.from)\(whereClause)
                GROUP BY 1, 2 ORDER BY 1
                """
            var byVersion: [String: (counts: [String: Int], null: Int, empty: Int)] = [:]
            try scores.run(sql, parameters: parameters, types: types, key: "\(key).categorical") { row in
                guard let version = row.string(0) else { return }
                let count = row.string(2).flatMap { Int($0) } ?? 0
                switch row.kind(1) {
                case .null: byVersion[version, default: ([:], 0, 0)].null += count
                case .empty: byVersion[version, default: ([:], 0, 0)].empty += count
                case .text: byVersion[version, default: ([:], 0, 0)].counts[row.string(1) ?? "", default: 0] += count
                }
            }
            var reference: CategoricalFeatureProfile?
            if let profile, case .categorical(let categorical)? = profile.features[name] { reference = categorical }
            let bins = reference.map { CategoricalBins(profile: $0, limit: model.driftCategoryBins) }
            for (version, stats) in byVersion.sorted(by: { $0.key < $1.key }) {
                let present = stats.counts.values.reduce(0, +)
                let total = present + stats.null + stats.empty
                let tags = [modelTag, (Tags.version, version), (Tags.segment, Tags.allValue), (Tags.segmentValue, Tags.allValue), (Tags.feature, name)]
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

    /// PSI and JS of the score in the input window from its counts in the profile's score bins.
    func scoreDriftSQL(profile: ReferenceProfile?) -> (columns: String, bins: Int)? {
        guard let profile else { return nil }
        let edges = profile.score.edges
        let score = "CAST(\(PostgresConnection.quoteIdentifier(model.scores.scoreColumn)) AS DOUBLE PRECISION)"
        let valid = "\(score) >= 0 AND \(score) <= 1"
        var binExpression = "CASE"
        for (index, edge) in edges.enumerated() { binExpression += " WHEN \(score) <= CAST(\(edge) AS DOUBLE PRECISION) THEN \(index)" }
        binExpression += " ELSE \(edges.count) END"
        let columns = (0...edges.count).map { ", SUM(CASE WHEN \(valid) AND \(binExpression) = \($0) THEN 1 ELSE 0 END)" }.joined()
        return (columns, edges.count + 1)
    }
}
