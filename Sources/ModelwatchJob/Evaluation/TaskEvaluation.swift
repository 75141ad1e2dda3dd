import DriftMetrics
import LineProtocol
import MetricSchema
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
            probabilityRows: probabilityRows, topK: classes.probabilityColumns == nil ? nil : (model.multiclass?.topK ?? 2),
            minimumPerClass: model.multiclass?.minimumPerClass ?? 0)
        var labelCounts: [String: Int] = [:]
        for (code, count) in labelCodeCounts.enumerated() where count > 0 { labelCounts[table.labelClasses[code]] = count }
        points.append(categoricalLabelPoint(count: result.n, labelCounts: labelCounts, tags: tags, timestampMs: timestamp))
        return (points, .multiclass(result, classes: names), sufficient)
    }

    /// The true classes' count and their drift against the profile's `(label)` entry. `labelCounts` are by the
    /// labels' own names, as the profile stores them: a class outside the class list keeps its name (and its bin,
    /// when the reference has one) rather than becoming `(other)`, which the reference never holds.
    private func categoricalLabelPoint(count: Int, labelCounts: [String: Int], tags: [(key: String, value: String)], timestampMs: Int64) -> Point {
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
        var point = Point(measurement: Schema.output.name, tags: tags, timestampMs: timestampMs)
        point.add("count", slice.rows.count)
        point.add("missing_rate", slice.rows.isEmpty ? nil : Double(slice.rows.count - present) / Double(slice.rows.count))
        var byName: [String: Int] = [:]
        for (code, count) in codeCounts.enumerated() where count > 0 { byName[table.categoryValues[column][code]] = count }
        var reference: CategoricalFeatureProfile?
        if let profile, case .categorical(let predicted)? = profile.features[ModelConfiguration.ProfileEntry.prediction] { reference = predicted }
        if let reference, let profile, !slice.rows.isEmpty {
            let drift = CategoricalBins(profile: reference, limit: model.multiclass?.classCap ?? 20)
                .compare(counts: byName, missingCount: slice.rows.count - present)
            point.add("psi", drift.psi)
            point.add("js", drift.js)
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: slice.rows.count)))
            point.add("profile_fingerprint", .string(profile.shortFingerprint))
        }
        var points = [point]
        guard let classes, present > 0 else { return points }
        var classCounts = [Int](repeating: 0, count: classes.names.count + 1)
        for (code, count) in codeCounts.enumerated() { classCounts[classes.predictionIndex[code]] += count }
        for (index, count) in classCounts.enumerated() where index < classes.names.count || count > 0 {
            var classPoint = Point(measurement: Schema.outputClass.name, tags: tags + [(Tags.className, classes.name(index))], timestampMs: timestampMs)
            classPoint.add("count", count)
            classPoint.add("share", Double(count) / Double(present))
            if let reference {
                classPoint.add("reference_share", index < classes.names.count ? reference.share(of: classes.names[index]) : nil)
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
