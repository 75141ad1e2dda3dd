import DriftMetrics
import LineProtocol
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics

/// Push-down of a multiclass model: the database counts, per window, version and segment value, the rows of each
/// (true class, predicted class) pair, with the class list decided in SQL (a CASE over the listed classes; every
/// other value is `(other)`, counted, never dropped), and, with probability columns, the sums of the clipped log
/// loss and of the multiclass Brier score over the rows exact mode would use. ``MulticlassEvaluator/evaluate(confusion:)``
/// finishes accuracy, balanced accuracy, the per-class and averaged precision/recall/F1, kappa and the confusion
/// points from the counts, so they equal exact mode's. A true class outside the list that has a drift bin of its own
/// in the profile's `(label)` entry gets an index beyond K of its own (folded into `(other)` for the confusion counts),
/// so the label drift compares the true classes by name, as exact mode does. One-vs-rest ROC AUC and top-k accuracy
/// need the rows and are written by exact mode only. The input window's predicted classes are counted per value (the listed classes and
/// the profile's drift categories; the rest as one bucket), from which the output point, its drift and the class
/// shares are exact.
extension PushdownEvaluator {
    /// The key under which push-down counts the predicted values that are neither a listed class nor a category of
    /// the profile's drift bins: text from PostgreSQL never contains NUL, so it is no real value.
    static let unlistedPrediction = "\u{0}"

    /// The mergeable statistics of one multiclass slice: confusion counts over the K listed classes and `(other)`
    /// (index K), and the probability sums.
    struct MulticlassSlice {
        /// (K + 1) × (K + 1), true class by predicted class.
        var counts: [[Int]]
        /// Rows with a predicted class (`n_scored`).
        var scored = 0
        /// Labelled rows by true class, for the classes outside the list with a `(label)` drift bin of their own.
        var binnedOtherLabels: [String: Int] = [:]
        /// Rows whose probabilities exact mode uses (label listed, every probability in [0, 1], sum within 1e-6 of 1).
        var probabilityRows = 0
        var logLossSum = 0.0
        var brierSum = 0.0

        init(classes: Int) {
            counts = Array(repeating: Array(repeating: 0, count: classes + 1), count: classes + 1)
        }

        mutating func merge(_ other: MulticlassSlice) {
            for t in counts.indices {
                for p in counts[t].indices { counts[t][p] += other.counts[t][p] }
            }
            scored += other.scored
            binnedOtherLabels.merge(other.binnedOtherLabels, uniquingKeysWith: +)
            probabilityRows += other.probabilityRows
            logLossSum += other.logLossSum
            brierSum += other.brierSum
        }
    }

    /// SQL for the sum of a non-negative double expression, accurate to about one rounding however many rows: on
    /// PostgreSQL each value is added as the exact decimal of its shortest round-trip text (modelwatch's
    /// connections set `extra_float_digits`) in `numeric`, so the sum's relative error is at most half an ulp plus
    /// the final rounding (a `float8` SUM adds one rounding per row: 1.4e-12 relative on 10⁵ equal log-loss terms).
    /// Other engines sum the doubles.
    static func nonNegativeSum(_ value: String, dialect: AggregateSQL.Dialect) -> String {
        let postgres = AggregateSQL.Dialect.postgres
        return dialect.doubleType == postgres.doubleType && dialect.identifierQuote == postgres.identifierQuote ? "SUM(CAST(CAST(\(value) AS TEXT) AS NUMERIC))" : "SUM(\(value))"
    }

    /// SQL for the class index of a present text value: its position in `names`, else K (`(other)`); with
    /// `beyond`, a value of `beyond` gets K + 1 + its position there (an `(other)` counted by name).
    private func classIndexSQL(_ value: String, names: [String], beyond: [String] = [], dialect: AggregateSQL.Dialect) -> String {
        "CASE \(value)" + names.enumerated().map { " WHEN \(dialect.literal($0.element)) THEN \($0.offset)" }.joined()
            + beyond.enumerated().map { " WHEN \(dialect.literal($0.element)) THEN \(names.count + 1 + $0.offset)" }.joined()
            + " ELSE \(names.count) END"
    }

    /// The true classes outside the class list with a bin of their own in the profile's `(label)` entry, which label
    /// drift counts by name (``ModelEvaluator/categoricalLabelPoint(count:labelCounts:model:profile:tags:timestampMs:)``).
    func binnedOtherLabels(classes names: [String]) -> [String] {
        guard let profile, case .categorical(let reference)? = profile.features[ModelConfiguration.ProfileEntry.label] else { return [] }
        let listed = Set(names)
        return CategoricalBins(profile: reference, limit: model.multiclass?.classCap ?? 20).categories.filter { !listed.contains($0) }
    }

    /// The probability column of each listed class, when every class has one (as exact mode: all or none).
    func probabilityColumns(classes names: [String]) -> [String]? {
        guard let options = model.multiclass, !options.probabilityColumns.isEmpty else { return nil }
        let columns = names.compactMap { name in options.probabilityColumns.first { $0.className == name }?.column }
        return columns.count == names.count ? columns : nil
    }

    /// Writes `modelwatch_multiclass`, `modelwatch_multiclass_class`, `modelwatch_confusion` and the true classes'
    /// `modelwatch_label` (all rows and capped segment slices) and `modelwatch_join` of every performance window.
    func multiclassPerformance(
        scores: any PushdownSource, labels: any PushdownSource, binding: PushdownTimeBinding, into outcome: inout Outcome
    ) throws(JobError) {
        guard let names = MulticlassClasses.list(model: model, profile: profile) else { return }
        let dialect = scores.dialect
        let q = dialect.quote
        let k = names.count
        let windows = plan.performanceWindows
        let windowMs = model.windowSeconds * 1000
        let binnedOthers = binnedOtherLabels(classes: names)
        let start = windows.map(\.range.startMs).min()!
        let source = model.scores, labelSource = model.labels
        let time = q(source.timeColumn), labelTime = q(labelSource.timeColumn!)
        let scoreWhere = scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : ""
        // Exact mode rejects a label row whose class is NULL or empty: it never hides an older valid label.
        let label = "CAST(\(q(labelSource.labelColumn)) AS \(dialect.textType))"
        let labelValid = "\(q(labelSource.labelColumn)) IS NOT NULL AND \(label) <> ''"
        let labelWhere = labels.isTable ? " WHERE \(labelTime) >= $1 AND \(labelTime) <= $3 AND \(labelValid)" : " WHERE \(labelValid)"
        let aggregates = AggregateSQL(dialect: dialect)
        let columns = model.segmentColumns
        let (segmentSelect, segmentCarry, output, grouping) = segmentSQL(dialect, keys: "w, version, pc, yc")

        // Probabilities: only with a numeric column for every listed class.
        var probabilities = probabilityColumns(classes: names)
        if let columnsOfClasses = probabilities {
            let key = "models[\(model.name)].scores.columns.probabilities"
            try scores.checkColumns(columnsOfClasses, columnKeys: names.map { "\(key).\($0)" })
            let engine = dialect.identifierQuote == "`" ? "Spark" : "PostgreSQL"
            for (name, column) in zip(names, columnsOfClasses) where !scores.numericColumn(column).isNumeric {
                outcome.leftOut.append("\(key).\(name): log loss and Brier score are left out of push-down: column `\(column)` is not a number type in \(engine) (\(scores.numericColumn(column).typeName)); change the column type, cast it in a `query:` or view, or use exact mode, which parses each value")
                probabilities = nil
                break
            }
        }
        let probabilitySelect = (probabilities ?? []).enumerated().map { ", CAST(\(q($0.element)) AS \(dialect.doubleType)) AS q\($0.offset)" }.joined()
        var probabilityCTE = ""
        var probabilityOutput = ""
        var from = "c"
        if let probabilities {
            let qs = probabilities.indices.map { "q\($0)" }
            // The row tests and sums of exact mode (TaskEvaluation.swift, MulticlassProbabilityMetrics), in its order:
            // Σ p left to right, −ln(min(max(p_true, eps), 1 − eps)), Σ_k d_k² with d_k = p_k − 1[y = k].
            let inRange = qs.map { "\($0) >= 0 AND \($0) <= 1" }.joined(separator: " AND ")
            let sum = qs.joined(separator: " + ")
            let eps = aggregates.double(Double.ulpOfOne)
            let usable = "pc >= 0 AND yc >= 0 AND yc < \(k) AND \(inRange) AND ABS(\(sum) - 1) <= \(aggregates.double(1e-6))"
            let trueProbability = "CASE yc" + qs.enumerated().map { " WHEN \($0.offset) THEN \($0.element)" }.joined() + " END"
            let differences = qs.enumerated().map { ", CASE WHEN yc = \($0.offset) THEN \($0.element) - 1 ELSE \($0.element) END AS d\($0.offset)" }.joined()
            // d² is 0 below |d| < 1e-160 (PostgreSQL raises an underflow where exact mode's sum rounds it away).
            let squares = qs.indices.map { "CASE WHEN ABS(d\($0)) < \(aggregates.double(1e-160)) THEN 0 ELSE d\($0) * d\($0) END" }.joined(separator: " + ")
            probabilityCTE = """
                , u AS (
                  SELECT w, version, pc, yc\(columns.indices.map { ", g\($0)" }.joined()),
                         CASE WHEN \(usable) THEN 1 ELSE 0 END AS ok,
                         CASE WHEN \(usable) THEN -LN(LEAST(GREATEST(\(trueProbability), \(eps)), 1 - \(eps))) END AS ll\(differences)
                  FROM c
                )
                """
            probabilityOutput = ", SUM(ok), \(Self.nonNegativeSum("ll", dialect: dialect)), \(Self.nonNegativeSum("CASE WHEN ok = 1 THEN \(squares) END", dialect: dialect))"
            from = "u"
        }
        let sql = """
            WITH s AS (
              SELECT \(q(source.idColumn)) AS id, \(scores.epochMillisSQL(time, column: source.timeColumn)) AS t,
                     CAST(\(q(source.scoreColumn)) AS \(dialect.textType)) AS p, \(versionSQL(dialect)) AS version\(segmentSelect)\(probabilitySelect)
              FROM \(scores.from)\(scoreWhere)
            ), l AS (
              SELECT id, y FROM (
                SELECT \(q(labelSource.idColumn)) AS id, \(label) AS y,
                       ROW_NUMBER() OVER (PARTITION BY \(q(labelSource.idColumn)) ORDER BY \(labelTime) DESC) AS r
                FROM \(labels.from)\(labelWhere)
              ) ranked WHERE r = 1
            ), c AS (
              SELECT FLOOR((s.t - \(start)) / \(windowMs)) AS w, s.version\(segmentCarry),
                     CASE WHEN s.p IS NULL OR s.p = '' THEN -1 ELSE \(classIndexSQL("s.p", names: names, dialect: dialect)) END AS pc,
                     CASE WHEN l.y IS NULL THEN -1 ELSE \(classIndexSQL("l.y", names: names, beyond: binnedOthers, dialect: dialect)) END AS yc\((probabilities ?? []).indices.map { ", s.q\($0)" }.joined())
              FROM s LEFT JOIN l ON l.id = s.id
            )\(probabilityCTE)
            SELECT CAST(w AS BIGINT), version, pc, yc, COUNT(*)\(probabilityOutput)\(output)
            FROM \(from)
            GROUP BY \(grouping)
            """
        let firstSegmentColumn = probabilities == nil ? 5 : 8
        var all: [Int: [String: MulticlassSlice]] = [:]
        var segments: [Int: [String: [SliceKey: MulticlassSlice]]] = [:]
        var segmentVolumes: [Int: [[String: Int]]] = [:]
        var rowsPerWindow: [Int: (rows: Int, labelled: Int)] = [:]
        try scores.aggregate(sql, bounds: [start, plan.asOfMs, plan.asOfMs], binding: binding, key: scores.relationKey) { row in
            guard let w = row.string(0).flatMap({ Int($0) }), let version = row.string(1),
                  let pc = row.string(2).flatMap({ Int($0) }), let yc = row.string(3).flatMap({ Int($0) }),
                  let count = row.string(4).flatMap({ Int($0) }) else { return }
            var slice = MulticlassSlice(classes: k)
            if pc >= 0 {
                slice.scored = count
                if yc >= 0 { slice.counts[min(yc, k)][pc] = count }
                if yc > k { slice.binnedOtherLabels[binnedOthers[yc - k - 1]] = count }
            }
            if probabilities != nil {
                slice.probabilityRows = row.string(5).flatMap { Int($0) } ?? 0
                slice.logLossSum = row.double(6) ?? 0
                slice.brierSum = row.double(7) ?? 0
            }
            var key = SliceKey(column: -1, value: Tags.allValue)
            for index in columns.indices where row.string(firstSegmentColumn + 2 * index + 1) == "0" {
                key = SliceKey(column: index, value: SegmentValueTag.written(row.string(firstSegmentColumn + 2 * index) ?? ""))
            }
            if key.column >= 0 {
                if segmentVolumes[w] == nil { segmentVolumes[w] = Array(repeating: [:], count: columns.count) }
                segmentVolumes[w]![key.column][key.value, default: 0] += count
                segments[w, default: [:]][version, default: [:]][key, default: MulticlassSlice(classes: k)].merge(slice)
            } else {
                all[w, default: [:]][version, default: MulticlassSlice(classes: k)].merge(slice)
                rowsPerWindow[w, default: (0, 0)].rows += count
                if yc >= 0 { rowsPerWindow[w, default: (0, 0)].labelled += count }
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
                var slices: [(tags: [(key: String, value: String)], stats: MulticlassSlice)] = [
                    ([modelTag, (Tags.version, version), (Tags.segment, Tags.allValue), (Tags.segmentValue, Tags.allValue)],
                     all[w]?[version] ?? MulticlassSlice(classes: k)),
                ]
                for (column, name) in columns.enumerated() {
                    var folded: [String: MulticlassSlice] = [:]
                    for (key, value) in segments[w]?[version] ?? [:] where key.column == column {
                        folded[mapped[column][key.value] ?? Tags.otherValue, default: MulticlassSlice(classes: k)].merge(value)
                    }
                    for (value, stats) in folded.sorted(by: { $0.key < $1.key }) {
                        slices.append(([modelTag, (Tags.version, version), (Tags.segment, name), (Tags.segmentValue, value)], stats))
                    }
                }
                for (index, (tags, stats)) in slices.enumerated() {
                    let otherLabels = stats.counts[k].reduce(0, +)
                    let otherPredictions = stats.counts.reduce(0) { $0 + $1[k] }
                    // `(other)` is a class of its own only in a slice where some label or prediction falls outside the list.
                    let classCount = otherLabels + otherPredictions > 0 ? k + 1 : k
                    var result = MulticlassEvaluator.evaluate(
                        confusion: ConfusionMatrix(counts: stats.counts.prefix(classCount).map { Array($0.prefix(classCount)) }))
                    if stats.probabilityRows > 0 {
                        result.probabilities = MulticlassProbabilityMetrics(
                            count: stats.probabilityRows, logLossSum: stats.logLossSum, brierSum: stats.brierSum)
                    }
                    let sufficient = result.n >= model.minimumSamples.n
                    let classNames = (0..<classCount).map { $0 < k ? names[$0] : Tags.otherValue }
                    if index == 0, !window.provisional {
                        outcome.finalTaskResults.append((version, .multiclass(result, classes: classNames), sufficient))
                    }
                    outcome.points += PointBuilder.multiclass(
                        result, classNames: classNames, tags: tags, timestampMs: timestamp, scored: stats.scored, sufficient: sufficient,
                        provisional: window.provisional, otherLabels: otherLabels, otherPredictions: otherPredictions,
                        probabilityRows: probabilities == nil ? nil : stats.probabilityRows, topK: nil,
                        minimumPerClass: model.multiclass?.minimumPerClass ?? 0)
                    // By name: the listed classes, the binned ones beyond the list, and the rest of `(other)` under a
                    // key that is no value (``unlistedPrediction``): the profile's other bin, whatever their names.
                    var labelCounts = stats.binnedOtherLabels
                    for (index, count) in result.confusion.trueCounts.enumerated() where count > 0 {
                        labelCounts[index < k ? names[index] : Self.unlistedPrediction] = index < k ? count : count - stats.binnedOtherLabels.values.reduce(0, +)
                    }
                    outcome.points.append(ModelEvaluator.categoricalLabelPoint(
                        count: result.n, labelCounts: labelCounts, model: model, profile: profile, tags: tags, timestampMs: timestamp))
                }
            }
            if !window.provisional {
                let counts = rowsPerWindow[w] ?? (0, 0)
                appendJoinPoint(rows: counts.rows, labelled: counts.labelled, timestampMs: timestamp, into: &outcome)
            }
        }
        outcome.rowsRead += rowsPerWindow.values.reduce(0) { $0 + $1.rows }
    }

    /// Writes the output points of every input-window slice of a multiclass model (volume, the predicted classes'
    /// drift, each class's share) and returns the window's segment capping, which the feature queries apply too.
    func multiclassOutput(scores: any PushdownSource, binding: PushdownTimeBinding, into outcome: inout Outcome) throws(JobError) -> [[String: String]] {
        let dialect = scores.dialect
        let q = dialect.quote
        let window = plan.inputWindow
        let source = model.scores
        let time = q(source.timeColumn)
        let names = MulticlassClasses.list(model: model, profile: profile)
        // The values counted one by one: the classes and the categories with a drift bin of their own.
        var listed = Set(names ?? [])
        if let profile, case .categorical(let predicted)? = profile.features[ModelConfiguration.ProfileEntry.prediction] {
            listed.formUnion(CategoricalBins(profile: predicted, limit: model.multiclass?.classCap ?? 20).categories)
        }
        let inList = listed.isEmpty ? "1 = 0" : "p IN (\(listed.sorted().map(dialect.literal).joined(separator: ", ")))"
        let slices = PushdownInputSlices(segmentColumns: model.segmentColumns, dialect: dialect)
        let segments = slices.sql(groupingBy: ["version", "pk", "pv"])
        let carry = model.segmentColumns.indices.map { ", g\($0)" }.joined()
        // pk: 0 no prediction (NULL or empty), 1 a listed value (pv), 2 any other value.
        let sql = """
            SELECT version, pk, pv, COUNT(*)\(segments.output)
            FROM (
              SELECT version, CASE WHEN p IS NULL OR p = '' THEN 0 WHEN \(inList) THEN 1 ELSE 2 END AS pk,
                     CASE WHEN \(inList) THEN p END AS pv\(carry)
              FROM (
                SELECT \(versionSQL(dialect)) AS version, CAST(\(q(source.scoreColumn)) AS \(dialect.textType)) AS p\(segments.select)
                FROM \(scores.from)\(scores.isTable ? " WHERE \(time) >= $1 AND \(time) < $2" : "")
              ) AS scored
            ) AS rows
            \(segments.groupBy)
            """
        var raw: [PushdownInputSlices.Key: (rows: Int, predicted: [String: Int])] = [:]
        var volumes: [Int: [String: Int]] = [:]
        try scores.aggregate(sql, bounds: [window.startMs, window.endMs], binding: binding, key: scores.relationKey) { row in
            guard let version = row.string(0), let kind = row.string(1).flatMap({ Int($0) }),
                  let count = row.string(3).flatMap({ Int($0) }) else { return }
            let key = slices.slice(of: row, version: version, first: 4)
            if key.column >= 0 {
                volumes[key.column, default: [:]][key.value, default: 0] += count
            } else {
                outcome.inputRows += count
            }
            raw[key, default: (0, [:])].rows += count
            if kind == 1, let value = row.string(2) { raw[key, default: (0, [:])].predicted[value, default: 0] += count }
            if kind == 2 { raw[key, default: (0, [:])].predicted[Self.unlistedPrediction, default: 0] += count }
        }
        let capping = PushdownInputSlices.capping(volumes: volumes, columns: model.segmentColumns.count, cap: model.segmentCap)
        var merged: [PushdownInputSlices.Key: (rows: Int, predicted: [String: Int])] = [:]
        for (key, stats) in raw {
            let written = PushdownInputSlices.written(key, capping: capping)
            merged[written, default: (0, [:])].rows += stats.rows
            merged[written, default: (0, [:])].predicted.merge(stats.predicted, uniquingKeysWith: +)
        }
        // An empty input window: exact mode writes its all-rows slice under the latest row's version, which is the
        // static version when there is no version column (with one, push-down does not know it, and writes nothing).
        if merged.isEmpty, model.scores.versionColumn == nil {
            merged[PushdownInputSlices.Key(version: model.staticVersion, column: -1, value: Tags.allValue)] = (0, [:])
        }
        for (key, stats) in merged.sorted(by: { $0.key < $1.key }) {
            outcome.points += ModelEvaluator.multiclassOutputPoints(
                rows: stats.rows, predicted: stats.predicted, classNames: names, model: model, profile: profile,
                tags: slices.tags(key, model: model.name), timestampMs: window.endMs)
        }
        return capping
    }
}
