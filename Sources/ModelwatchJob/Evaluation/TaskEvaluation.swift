import DriftMetrics
import LineProtocol
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics

/// The headline result of a regression or multiclass performance window, for the run summary.
public enum TaskResult: Sendable {
    case regression(RegressionResult)
    /// The result with the names of its classes by index (`(other)` last when present).
    case multiclass(MulticlassResult, classes: [String])
}

/// Performance windows of regression and multiclass models (`models[].task`): the same windows, slices,
/// maturity and restatement as a binary model, other metrics.
extension ModelEvaluator {
    /// Evaluates one window's slice of a non-binary model.
    func runTask(_ task: PerformanceTask) -> (points: [Point], result: TaskResult?, sufficient: Bool) {
        switch model.task {
        case .binary: return ([], nil, false)
        case .regression: return runRegression(task)
        case .multiclass: return runMulticlass(task)
        }
    }

    private var tagsAndTime: (Slice, EvaluationPlan.PerformanceWindow) -> (tags: [(key: String, value: String)], timestampMs: Int64) {
        { slice, window in ([(Tags.model, model.name)] + slice.tags, window.range.endMs) }
    }

    private func runRegression(_ task: PerformanceTask) -> (points: [Point], result: TaskResult?, sufficient: Bool) {
        let asOf = plan.asOfMs
        var predictions: [Double] = []
        var targets: [Double] = []
        var scored = 0
        for row in task.slice.rows {
            let r = Int(row)
            let prediction = table.score[r]
            guard !prediction.isNaN else { continue }
            scored += 1
            guard let target = table.labelValue(row: r, asOfMs: asOf) else { continue }
            predictions.append(prediction)
            targets.append(target)
        }
        let result = RegressionEvaluator.evaluate(predictions: predictions, targets: targets)
        let sufficient = result.n >= model.minimumSamples.n
        let (tags, timestamp) = tagsAndTime(task.slice, task.window)
        var points = [PointBuilder.regression(
            result, tags: tags, timestampMs: timestamp, scored: scored, sufficient: sufficient, provisional: task.window.provisional,
            meanPrediction: NeumaierMean.of(predictions), meanTarget: NeumaierMean.of(targets))]
        points.append(numericLabelPoint(targets, tags: tags, timestampMs: timestamp))
        return (points, .regression(result), sufficient)
    }

    /// The target's distribution in the window and its drift against the profile's `(label)` entry.
    private func numericLabelPoint(_ targets: [Double], tags: [(key: String, value: String)], timestampMs: Int64) -> Point {
        var point = Point(measurement: Schema.label.name, tags: tags, timestampMs: timestampMs)
        point.add("count", targets.count)
        let sorted = SortedSample.sortedFinite(targets)
        if let summary = NumericSummary(sortedFiniteValues: sorted) { PointBuilder.addSummary(summary, to: &point) }
        if let profile, case .numeric(let reference)? = profile.features[ModelConfiguration.ProfileEntry.label], !targets.isEmpty {
            let drift = NumericDrift.compare(profile: reference, sortedPresentValues: sorted, missingCount: 0)
            point.add("psi", drift.psi)
            point.add("js", drift.js)
            point.add("ks", drift.ks)
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: targets.count)))
            point.add("profile_fingerprint", .string(profile.shortFingerprint))
        }
        return point
    }

    private func runMulticlass(_ task: PerformanceTask) -> (points: [Point], result: TaskResult?, sufficient: Bool) {
        guard let classes else { return ([], nil, false) }
        let asOf = plan.asOfMs
        let predictedColumn = table.categories[model.categoricalFeatures.count]
        let k = classes.names.count
        var labels: [Int] = []
        var predictions: [Int] = []
        var labelledRows: [Int] = []
        var scored = 0
        var otherLabels = 0
        var otherPredictions = 0
        // The true classes by their own names (as the profile's `(label)` entry counts them), for label drift.
        var labelCodeCounts = [Int](repeating: 0, count: table.labelClasses.count)
        for row in task.slice.rows {
            let r = Int(row)
            guard predictedColumn.kind(r) == .present else { continue }
            scored += 1
            guard let code = table.labelValue(row: r, asOfMs: asOf) else { continue }
            let label = classes.labelIndex[Int(code)]
            labelCodeCounts[Int(code)] += 1
            let predicted = classes.predictionIndex[predictedColumn.code(r)]
            if label == k { otherLabels += 1 }
            if predicted == k { otherPredictions += 1 }
            labels.append(label)
            predictions.append(predicted)
            labelledRows.append(r)
        }
        // `(other)` is a class of its own only in a window where some label or prediction falls outside the list.
        let classCount = otherLabels + otherPredictions > 0 ? k + 1 : k
        var result = MulticlassEvaluator.evaluate(labels: labels, predictions: predictions, classCount: classCount)
        var probabilityRows = 0
        if let columns = classes.probabilityColumns {
            var probabilityLabels: [Int] = []
            var probabilities: [Double] = []
            var probabilityPredictions: [Int] = []
            var row = [Double](repeating: 0, count: k)
            for (index, r) in labelledRows.enumerated() where labels[index] < k {
                var sum = 0.0
                var usable = true
                for (c, column) in columns.enumerated() {
                    let p = table.numeric[column][r]
                    guard p.isFinite, (0...1).contains(p) else { usable = false; break }
                    row[c] = p
                    sum += p
                }
                guard usable, abs(sum - 1) <= 1e-6 else { continue }
                probabilityLabels.append(labels[index])
                probabilityPredictions.append(min(predictions[index], k - 1))
                probabilities += row
            }
            probabilityRows = probabilityLabels.count
            if probabilityRows > 0 {
                let options = model.multiclass ?? MulticlassOptions()
                let topK = options.topK
                result.probabilities = MulticlassEvaluator.evaluate(
                    labels: probabilityLabels, predictions: probabilityPredictions, classCount: k,
                    probabilities: probabilities, topK: [topK]).probabilities
            }
        }
        let sufficient = result.n >= model.minimumSamples.n
        let names = (0..<classCount).map(classes.name)
        let (tags, timestamp) = tagsAndTime(task.slice, task.window)
        var points = PointBuilder.multiclass(
            result, classNames: names, tags: tags, timestampMs: timestamp, scored: scored, sufficient: sufficient,
            provisional: task.window.provisional, otherLabels: otherLabels, otherPredictions: otherPredictions,
            probabilityRows: classes.probabilityColumns == nil ? nil : probabilityRows,
            topK: classes.probabilityColumns == nil ? nil : (model.multiclass?.topK ?? 2),
            minimumPerClass: model.multiclass?.minimumPerClass ?? 0)
        var labelCounts: [String: Int] = [:]
        for (code, count) in labelCodeCounts.enumerated() where count > 0 { labelCounts[table.labelClasses[code]] = count }
        points.append(Self.categoricalLabelPoint(
            count: result.n, labelCounts: labelCounts, model: model, profile: profile, tags: tags, timestampMs: timestamp))
        return (points, .multiclass(result, classes: names), sufficient)
    }

    /// The true classes' count and their drift against the profile's `(label)` entry. `labelCounts` are by the
    /// labels' own names, as the profile stores them: a class outside the class list keeps its name (and its bin,
    /// when the reference has one) rather than becoming `(other)`, which the reference never holds (exact and
    /// push-down mode).
    static func categoricalLabelPoint(
        count: Int, labelCounts: [String: Int], model: ModelConfiguration, profile: ReferenceProfile?,
        tags: [(key: String, value: String)], timestampMs: Int64
    ) -> Point {
        var point = Point(measurement: Schema.label.name, tags: tags, timestampMs: timestampMs)
        point.add("count", count)
        if let profile, case .categorical(let reference)? = profile.features[ModelConfiguration.ProfileEntry.label], count > 0 {
            let drift = CategoricalBins(profile: reference, limit: model.multiclass?.classCap ?? 20).compare(counts: labelCounts, missingCount: 0)
            point.add("psi", drift.psi)
            point.add("js", drift.js)
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: count)))
            point.add("profile_fingerprint", .string(profile.shortFingerprint))
        }
        return point
    }

    /// The output points of a multiclass model's input-window slice: volume, the predicted classes' drift
    /// against the profile's `(prediction)` entry, and each class's share.
    func multiclassOutputPoints(slice: Slice, tags: [(key: String, value: String)], timestampMs: Int64) -> [Point] {
        let column = model.categoricalFeatures.count
        var codeCounts = [Int](repeating: 0, count: table.categoryValues[column].count)
        var present = 0
        table.categories[column].forEach(rows: slice.rows) { kind, code in
            if kind == .present {
                codeCounts[code] += 1
                present += 1
            }
        }
        var byName: [String: Int] = [:]
        for (code, count) in codeCounts.enumerated() where count > 0 { byName[table.categoryValues[column][code]] = count }
        return Self.multiclassOutputPoints(
            rows: slice.rows.count, predicted: byName, classNames: classes?.names, model: model, profile: profile,
            tags: tags, timestampMs: timestampMs)
    }

    /// The output points of a multiclass model's slice from its row count and the counts of its present predicted
    /// values by value (exact and push-down mode). A value that is neither a class nor one of the profile's drift
    /// bin categories only counts as `(other)`, so push-down may count all such values under one key that is
    /// neither (``PushdownEvaluator/unlistedPrediction``).
    static func multiclassOutputPoints(
        rows: Int, predicted byName: [String: Int], classNames: [String]?, model: ModelConfiguration, profile: ReferenceProfile?,
        tags: [(key: String, value: String)], timestampMs: Int64
    ) -> [Point] {
        let present = byName.values.reduce(0, +)
        var point = Point(measurement: Schema.output.name, tags: tags, timestampMs: timestampMs)
        point.add("count", rows)
        point.add("missing_rate", rows == 0 ? nil : Double(rows - present) / Double(rows))
        var reference: CategoricalFeatureProfile?
        if let profile, case .categorical(let predicted)? = profile.features[ModelConfiguration.ProfileEntry.prediction] { reference = predicted }
        if let reference, let profile, rows > 0 {
            let drift = CategoricalBins(profile: reference, limit: model.multiclass?.classCap ?? 20)
                .compare(counts: byName, missingCount: rows - present)
            point.add("psi", drift.psi)
            point.add("js", drift.js)
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: rows)))
            point.add("profile_fingerprint", .string(profile.shortFingerprint))
        }
        var points = [point]
        guard let classNames, present > 0 else { return points }
        var position: [String: Int] = [:]
        for (index, name) in classNames.enumerated() { position[name] = index }
        var classCounts = [Int](repeating: 0, count: classNames.count + 1)
        for (name, count) in byName { classCounts[position[name] ?? classNames.count] += count }
        for (index, count) in classCounts.enumerated() where index < classNames.count || count > 0 {
            let name = index < classNames.count ? classNames[index] : Tags.otherValue
            var classPoint = Point(measurement: Schema.outputClass.name, tags: tags + [(Tags.className, name)], timestampMs: timestampMs)
            classPoint.add("count", count)
            classPoint.add("share", Double(count) / Double(present))
            if let reference {
                classPoint.add("reference_share", index < classNames.count ? reference.share(of: classNames[index]) : nil)
            }
            points.append(classPoint)
        }
        return points
    }
}

/// A compensated mean, nil for no values.
enum NeumaierMean {
    static func of(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var sum = 0.0, compensation = 0.0
        for value in values {
            let t = sum + value
            compensation += abs(sum) >= abs(value) ? (sum - t) + value : (value - t) + sum
            sum = t
        }
        return (sum + compensation) / Double(values.count)
    }
}
