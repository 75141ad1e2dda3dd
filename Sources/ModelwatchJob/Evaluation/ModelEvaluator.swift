import DriftMetrics
import LineProtocol
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics

/// Turns one model's joined rows into points: performance per window and slice, input and output
/// statistics, drift and join diagnostics. Pure: no I/O, no clock.
struct ModelEvaluator {
    let model: ModelConfiguration
    let plan: EvaluationPlan
    let table: ScoreTable
    let profile: ReferenceProfile?
    /// Per categorical feature: its drift bins, fixed once by the profile and `drift_category_bins` (nil without
    /// a categorical reference).
    let categoricalBins: [CategoricalBins?]
    /// Tasks run at once (``ThreadBudget``).
    let threads: Int
    /// The class list of a multiclass model (nil for the other tasks).
    let classes: MulticlassClasses?
    /// What performance estimation needs, when `models[].estimation` is set and the profile has its section.
    let estimation: EstimationReference?

    init(model: ModelConfiguration, plan: EvaluationPlan, table: ScoreTable, profile: ReferenceProfile?, threads: Int) {
        self.model = model
        self.plan = plan
        self.table = table
        self.profile = profile
        self.threads = threads
        classes = model.task == .multiclass ? MulticlassClasses(model: model, profile: profile, table: table) : nil
        estimation = model.estimation == nil ? nil : profile?.estimation?.reference
        categoricalBins = model.categoricalFeatures.map { name in
            guard case .categorical(let reference)? = profile?.features[name] else { return nil }
            return CategoricalBins(profile: reference, limit: model.driftCategoryBins)
        }
    }

    /// What the evaluation produced, for the run summary.
    struct Outcome {
        var points: [Point] = []
        /// The all-rows slices of the final performance window, one per version.
        var finalPerformance: [(version: String, result: PerformanceResult, sufficient: Bool)] = []
        /// The same for a regression or multiclass model.
        var finalTaskResults: [(version: String, result: TaskResult, sufficient: Bool)] = []
        var inputRows = 0
        /// Labelled predictions in the final window, and their extra labels, as of T.
        var labelsMatched = 0
        var duplicateLabels = 0
        var foldedSegments: [String: [String]] = [:]
        var driftiest: [(feature: String, psi: Double)] = []
        /// Features with a missing rate of at least 10% in the all-rows slice of the input window, highest first.
        var mostMissing: [(feature: String, rate: Double)] = []
    }

    func evaluate() -> Outcome {
        var outcome = Outcome()
        // Performance and input tasks run as one pool on `threads` threads: a single large performance window is
        // one task, and the other threads work through the features meanwhile. Points keep their order.
        // The input window's slices, computed once: a performance window over the same range (the provisional
        // window of a model whose maturity is its window) reuses them.
        let inputRows = Array(table.rows(in: plan.inputWindow))
        let inputSlicing = slicesAndFamilies(of: inputRows, into: &outcome)
        let performance = performanceTasks(into: &outcome, inputSlicing: inputSlicing)
        let inputs = inputTasks(rows: inputRows, slicing: inputSlicing, into: &outcome)
        let evaluator = self
        let (unitResults, inputResults) = parallelMap(
            performance.units, { evaluator.run($0, tasks: performance.tasks) }, inputs.tasks, { evaluator.run($0, slices: inputs.slices, families: inputs.families, workspaces: inputs.workspaces) },
            width: threads)
        var performanceResults = [PerformanceTaskResult?](repeating: nil, count: performance.tasks.count)
        for (index, result) in unitResults.joined() { performanceResults[index] = result }
        collect(performance, performanceResults.map { $0! }, into: &outcome)
        collect(inputs, inputResults, into: &outcome)
        outcome.points += LabelArrivals.points(model: model, plan: plan, table: table)
        return outcome
    }

    private var modelTag: (key: String, value: String) { (Tags.model, model.name) }

    /// The version to tag empty windows with: the version of the latest row, or the configured one.
    private var currentVersion: String {
        guard let latest = table.rows(in: TimeRange(startMs: .min, endMs: plan.asOfMs)).last else { return model.staticVersion }
        return table.versions[Int(table.versionCode[Int(latest)])]
    }

    /// A window's slices, its segment values capped by its own rows; the values it folds are added to the
    /// outcome's `foldedSegments`.
    private func slices(of rows: [Int32], into outcome: inout Outcome) -> [Slice] {
        slicesAndFamilies(of: rows, into: &outcome).slices
    }

    /// ``slices(of:into:)`` with the ``SliceFamily`` of each version (nil where its slices are computed one by one).
    private func slicesAndFamilies(of rows: [Int32], into outcome: inout Outcome) -> (slices: [Slice], families: [SliceFamily?]) {
        let capping = SegmentCapping(table: table, rows: rows, columns: model.segmentColumns, cap: model.segmentCap)
        for (index, column) in model.segmentColumns.enumerated() where !capping.folded[index].isEmpty {
            outcome.foldedSegments[column] = Array(Set(outcome.foldedSegments[column, default: []]).union(capping.folded[index])).sorted()
        }
        return capping.slicesAndFamilies(of: rows, table: table, columns: model.segmentColumns)
    }

    // MARK: - Performance

    /// One performance task: a window's slice.
    struct PerformanceTask: Sendable {
        let window: EvaluationPlan.PerformanceWindow
        let slice: Slice
        /// Only the estimate: the input window when it is not a performance window (restatement off).
        var estimateOnly = false
    }

    /// What one performance task gives: its points, the binary result (empty for other tasks), whether it is
    /// sufficient, and a regression or multiclass result.
    typealias PerformanceTaskResult = (points: [Point], result: PerformanceResult, sufficient: Bool, other: TaskResult?)

    /// A unit of performance work on one thread: a task alone, or every slice of a window's ``SliceFamily``
    /// from one shared sort of its scores (its slice `s` is task `first + s`).
    enum PerformanceUnit: Sendable {
        case task(Int)
        case family(first: Int, family: SliceFamily)
    }

    /// The performance tasks, one per (window, slice), the units they run in, and each window's rows (for its
    /// join diagnostics).
    struct PerformanceWork: Sendable {
        var tasks: [PerformanceTask] = []
        var units: [PerformanceUnit] = []
        var windowRows: [[Int32]] = []
    }

    private func performanceTasks(
        into outcome: inout Outcome, inputSlicing: (slices: [Slice], families: [SliceFamily?])
    ) -> PerformanceWork {
        var work = PerformanceWork()
        for window in plan.performanceWindows {
            let rows = Array(table.rows(in: window.range))
            work.windowRows.append(rows)
            var (slices, families) = window.range == plan.inputWindow ? inputSlicing : slicesAndFamilies(of: rows, into: &outcome)
            if slices.isEmpty {
                slices = [Slice(version: currentVersion, segment: Tags.allValue, segmentValue: Tags.allValue, rows: [])]
            }
            let first = work.tasks.count
            work.tasks += slices.map { PerformanceTask(window: window, slice: $0) }
            // A binary model's slices of one version share one sort of their scores (an estimate sorts its own).
            var shared = [Bool](repeating: false, count: slices.count)
            if model.task == .binary, estimation == nil, !model.segmentColumns.isEmpty {
                for family in families.compactMap({ $0 }) {
                    work.units.append(.family(first: first, family: family))
                    for slice in family.sliceIndices { shared[slice] = true }
                }
            }
            work.units += slices.indices.filter { !shared[$0] }.map { .task(first + $0) }
        }
        if estimation != nil, !plan.performanceWindows.contains(where: { $0.range == plan.inputWindow }) {
            let window = EvaluationPlan.PerformanceWindow(range: plan.inputWindow, provisional: true)
            var slices = slices(of: Array(table.rows(in: window.range)), into: &outcome)
            if slices.isEmpty {
                slices = [Slice(version: currentVersion, segment: Tags.allValue, segmentValue: Tags.allValue, rows: [])]
            }
            let first = work.tasks.count
            work.tasks += slices.map { PerformanceTask(window: window, slice: $0, estimateOnly: true) }
            work.units += slices.indices.map { .task(first + $0) }
        }
        return work
    }

    /// Runs one unit; its results with the index of their task.
    private func run(_ unit: PerformanceUnit, tasks: [PerformanceTask]) -> [(task: Int, result: PerformanceTaskResult)] {
        switch unit {
        case .task(let index):
            return [(index, run(tasks[index]))]
        case .family(let first, let family):
            let asOf = plan.asOfMs
            let table = self.table
            var results: [(task: Int, result: PerformanceTaskResult)] = []
            let shared = table.score.forEachSliceLabelledScores(
                family: family, rows: tasks[first + family.all].slice.rows, label: { table.label(row: $0, asOfMs: asOf) }
            ) { slice, scores in
                results.append((first + slice, binaryPerformance(tasks[first + slice], scores: scores)))
            }
            if !shared {
                results = family.sliceIndices.map { (first + $0, run(tasks[first + $0])) }
            }
            return results
        }
    }

    private func run(_ task: PerformanceTask) -> PerformanceTaskResult {
        if model.task != .binary {
            let (points, result, sufficient) = runTask(task)
            return (points, Self.noBinaryResult, sufficient, result)
        }
        let asOf = plan.asOfMs
        var scores: [Double] = []
        var labels: [Bool] = []
        scores.reserveCapacity(task.slice.rows.count)
        labels.reserveCapacity(task.slice.rows.count)
        var scored = 0
        var allScores: [Double] = []
        if estimation != nil { allScores.reserveCapacity(task.slice.rows.count) }
        for row in task.slice.rows {
            let r = Int(row)
            let score = table.score[r]
            guard !score.isNaN else { continue }
            scored += 1
            if estimation != nil { allScores.append(score) }
            if task.estimateOnly { continue }
            let label = table.label(row: r, asOfMs: asOf)
            guard label >= 0 else { continue }
            scores.append(score)
            labels.append(label == 1)
        }
        var labelled = LabelledScores()
        labelled.scored = scored
        labelled.scores = scores
        labelled.labels = labels
        return binaryPerformance(task, scores: labelled, allScores: allScores)
    }

    /// A binary task's points and result from its slice's scored and labelled rows (and, with estimation, every
    /// scored row's score).
    private func binaryPerformance(_ task: PerformanceTask, scores labelled: LabelledScores, allScores: [Double] = []) -> PerformanceTaskResult {
        let options = PerformanceOptions(
            thresholds: model.thresholds, topKFractions: model.topKPercent.map { $0 / 100 }, calibrationBins: 10)
        let scored = labelled.scored
        let result = if let (positives, negatives) = labelled.sortedKeys {
            PerformanceEvaluator.evaluate(
                scores: labelled.scores, labels: labelled.labels, sortedPositiveKeys: positives, sortedNegativeKeys: negatives, options: options)
        } else {
            PerformanceEvaluator.evaluate(scores: labelled.scores, labels: labelled.labels, options: options)
        }
        let sufficient = model.minimumSamples.admitPerformance(n: result.n, positives: result.nPositive, negatives: result.nNegative)
        var points = task.estimateOnly ? [] : PointBuilder.performance(
            result, tags: [modelTag] + task.slice.tags, timestampMs: task.window.range.endMs, scored: scored,
            sufficient: sufficient, provisional: task.window.provisional, thresholdLabels: model.thresholds.map(Self.label),
            topKLabels: model.topKPercent.map(Self.label))
        if let estimation, let profile {
            points += estimatePoints(scores: allScores, reference: estimation, profile: profile, task: task, realized: (result, sufficient))
        }
        return (points, result, sufficient, nil)
    }

    /// The binary result slot of a non-binary window (empty).
    static let noBinaryResult = PerformanceEvaluator.evaluate(
        scores: [], labels: [], options: PerformanceOptions(thresholds: [], topKFractions: [], calibrationBins: 10))

    /// The CBPE points of one task's slice; every performance window (final or provisional) carries the realized
    /// values of its labels so far beside the estimates, with their label coverage.
    private func estimatePoints(
        scores: [Double], reference: EstimationReference, profile: ReferenceProfile, task: PerformanceTask,
        realized: (result: PerformanceResult, sufficient: Bool)
    ) -> [Point] {
        let estimate = PerformanceEstimator.estimate(scores: scores, reference: reference, thresholds: model.thresholds)
        let minimum = model.minimumSamples
        let sufficient = minimum.admitPerformance(
            n: estimate.n, positives: Int(estimate.expectedPositives.rounded(.down)),
            negatives: Int((Double(estimate.n) - estimate.expectedPositives).rounded(.down)))
        return PointBuilder.estimated(
            estimate, realized: task.estimateOnly ? nil : realized, tags: [modelTag] + task.slice.tags,
            timestampMs: task.window.range.endMs, sufficient: sufficient, provisional: task.window.provisional,
            calibration: profile.estimation?.calibration.rawValue ?? "none", fingerprint: profile.shortFingerprint,
            thresholdLabels: model.thresholds.map(Self.label))
    }

    private func collect(
        _ work: PerformanceWork, _ results: [PerformanceTaskResult], into outcome: inout Outcome
    ) {
        var taskIndex = 0
        for (windowIndex, window) in plan.performanceWindows.enumerated() {
            while taskIndex < work.tasks.count, work.tasks[taskIndex].window == window {
                let (points, result, sufficient, other) = results[taskIndex]
                outcome.points += points
                if !window.provisional, work.tasks[taskIndex].slice.segment == Tags.allValue {
                    if let other {
                        outcome.finalTaskResults.append((work.tasks[taskIndex].slice.version, other, sufficient))
                    } else if model.task == .binary {
                        outcome.finalPerformance.append((work.tasks[taskIndex].slice.version, result, sufficient))
                    }
                }
                taskIndex += 1
            }
            if !window.provisional {
                outcome.points.append(joinPoint(rows: work.windowRows[windowIndex], timestampMs: window.range.endMs, into: &outcome))
            }
        }
        // Estimate-only tasks (the input window when it is not a performance window) come last.
        while taskIndex < work.tasks.count {
            outcome.points += results[taskIndex].points
            taskIndex += 1
        }
    }

    /// Join diagnostics of the final window as known at the as-of time; also fills the outcome's counters.
    private func joinPoint(rows: [Int32], timestampMs: Int64, into outcome: inout Outcome) -> Point {
        let asOf = plan.asOfMs
        var labelled = 0
        var duplicateLabels = 0
        var duplicateScores = 0
        for row in rows {
            let r = Int(row)
            if table.label(row: r, asOfMs: asOf) >= 0 { labelled += 1 }
            if !table.labelHistory.isEmpty { duplicateLabels += max(0, table.labelCount(row: r, asOfMs: asOf) - 1) }
            if !table.duplicateScoresByRow.isEmpty { duplicateScores += table.duplicateScoresByRow[row] ?? 0 }
        }
        outcome.labelsMatched = labelled
        outcome.duplicateLabels = duplicateLabels
        var point = Point(measurement: Schema.join.name, tags: [modelTag], timestampMs: timestampMs)
        point.add("scored", rows.count)
        point.add("labelled", labelled)
        point.add("unlabelled", rows.count - labelled)
        point.add("label_coverage", rows.isEmpty ? nil : Double(labelled) / Double(rows.count))
        point.add("orphan_labels", table.orphanLabels(asOfMs: asOf))
        point.add("duplicate_scores", duplicateScores)
        point.add("duplicate_labels", duplicateLabels)
        point.add("late_labels", table.lateLabels(asOfMs: asOf))
        return point
    }

    // MARK: - Inputs and outputs

    /// One input task: the output point of a slice, or one feature of a slice; or, for the slices of a
    /// ``SliceFamily``, the output points or one numeric feature of all of them from one sort.
    enum InputTask: Sendable {
        case output(slice: Int)
        case numeric(slice: Int, feature: Int)
        case categorical(slice: Int, feature: Int)
        case familyOutput(family: Int)
        case familyNumeric(family: Int, feature: Int)
        case familyCategorical(family: Int, feature: Int)
    }

    /// The input-window tasks; statistics and drift are independent, and results are collected in slice order
    /// (per slice: the output, the numeric features, the categorical features), so the output does not depend
    /// on scheduling or on which slices share a sort.
    struct InputWork: Sendable {
        var tasks: [InputTask] = []
        var slices: [Slice] = []
        /// The versions whose slices share one sort per numeric column (those with segment columns).
        var families: [SliceFamily] = []
        let workspaces = SampleWorkspaces()
    }

    /// A task's points, each list with the slice and the item (0 the output, then the numeric features, then
    /// the categorical ones) it belongs to.
    typealias InputPoints = [(slice: Int, item: Int, points: [Point])]

    private func inputTasks(rows: [Int32], slicing: (slices: [Slice], families: [SliceFamily?]), into outcome: inout Outcome) -> InputWork {
        outcome.inputRows = rows.count
        var work = InputWork()
        let (slices, families) = slicing
        work.slices = slices
        if work.slices.isEmpty {
            work.slices = [Slice(version: currentVersion, segment: Tags.allValue, segmentValue: Tags.allValue, rows: [])]
        }
        var shared = [Bool](repeating: false, count: work.slices.count)
        if !model.segmentColumns.isEmpty {
            for family in families.compactMap({ $0 }) {
                // A multiclass model's output is its predicted classes, counted per slice (no numeric score to share).
                if model.task != .multiclass { work.tasks.append(.familyOutput(family: work.families.count)) }
                work.tasks += model.numericFeatures.indices.map { .familyNumeric(family: work.families.count, feature: $0) }
                work.tasks += model.categoricalFeatures.indices.map { .familyCategorical(family: work.families.count, feature: $0) }
                for slice in family.sliceIndices { shared[slice] = true }
                work.families.append(family)
            }
        }
        for index in work.slices.indices {
            if !shared[index] || model.task == .multiclass { work.tasks.append(.output(slice: index)) }
            if !shared[index] {
                work.tasks += model.numericFeatures.indices.map { .numeric(slice: index, feature: $0) }
                work.tasks += model.categoricalFeatures.indices.map { .categorical(slice: index, feature: $0) }
            }
        }
        // The costliest tasks first, so that the threads finish together rather than one waiting on a large task
        // started last (results are collected by slice and item, so the order changes no output).
        work.tasks = Self.costliestFirst(work.tasks, table: table)
        return work
    }

    /// `tasks` ordered by their expected cost, stably: columns stored as doubles (a 64-bit radix sort each)
    /// first, then the other numeric columns and the output, then the categorical counts.
    static func costliestFirst(_ tasks: [InputTask], table: ScoreTable) -> [InputTask] {
        func rank(_ task: InputTask) -> Int {
            switch task {
            case .output, .familyOutput: table.score.isScaled ? 1 : 0
            case .numeric(_, let feature), .familyNumeric(_, let feature): table.numeric[feature].isScaled ? 1 : 0
            case .categorical, .familyCategorical: 2
            }
        }
        return tasks.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    private var fingerprint: String? { profile.map { String($0.fingerprint.prefix(16)) } }

    private func run(_ task: InputTask, slices: [Slice], families: [SliceFamily], workspaces: SampleWorkspaces) -> InputPoints {
        let timestamp = plan.inputWindow.endMs
        let fingerprint = self.fingerprint
        let numericItems = model.numericFeatures.count
        switch task {
        case .output(let index):
            let slice = slices[index]
            if model.task == .multiclass {
                return [(index, 0, multiclassOutputPoints(slice: slice, tags: [modelTag] + slice.tags, timestampMs: timestamp))]
            }
            return [(index, 0, outputPoints(slice: slice, workspaces: workspaces, tags: [modelTag] + slice.tags, timestampMs: timestamp, fingerprint: fingerprint))]
        case .numeric(let index, let feature):
            let slice = slices[index]
            return [(index, 1 + feature, [numericFeaturePoint(feature: feature, name: model.numericFeatures[feature], slice: slice, workspaces: workspaces, tags: [modelTag] + slice.tags, timestampMs: timestamp, fingerprint: fingerprint)])]
        case .categorical(let index, let feature):
            let slice = slices[index]
            return [(index, 1 + numericItems + feature, categoricalFeaturePoints(feature: feature, name: model.categoricalFeatures[feature], slice: slice, tags: [modelTag] + slice.tags, timestampMs: timestamp, fingerprint: fingerprint))]
        case .familyOutput(let family):
            return familyPoints(of: table.score, family: families[family], slices: slices, workspaces: workspaces) { slice, _, present in
                (0, outputPoints(slice: slice, present: present, tags: [modelTag] + slice.tags, timestampMs: timestamp, fingerprint: fingerprint))
            }
        case .familyCategorical(let family, let feature):
            let name = model.categoricalFeatures[feature]
            let item = 1 + numericItems + feature
            let family = families[family]
            if let counts = table.categories[feature].sliceCounts(family: family, rows: slices[family.all].rows, values: table.categoryValues[feature].count) {
                return counts.map { index, counts in
                    let slice = slices[index]
                    return (index, item, categoricalFeaturePoints(feature: feature, name: name, slice: slice, counts: counts, tags: [modelTag] + slice.tags, timestampMs: timestamp, fingerprint: fingerprint))
                }
            }
            return family.sliceIndices.map { index in
                let slice = slices[index]
                return (index, item, categoricalFeaturePoints(feature: feature, name: name, slice: slice, tags: [modelTag] + slice.tags, timestampMs: timestamp, fingerprint: fingerprint))
            }
        case .familyNumeric(let family, let feature):
            let name = model.numericFeatures[feature]
            return familyPoints(of: table.numeric[feature], family: families[family], slices: slices, workspaces: workspaces) { slice, counts, present in
                (1 + feature, [numericFeaturePoint(name: name, slice: slice, counts: counts, present: present, tags: [modelTag] + slice.tags, timestampMs: timestamp, fingerprint: fingerprint)])
            }
        }
    }

    /// The points of every slice of `family` from `column`'s sorted present values: one shared gather and sort
    /// (``NumericColumn/forEachSliceSortedPresentValues(family:rows:kinds:values:scratch:_:)``), or slice by slice
    /// where the column cannot share one.
    private func familyPoints(
        of column: NumericColumn, family: SliceFamily, slices: [Slice], workspaces: SampleWorkspaces,
        _ points: (Slice, [Int], SortedPresentValues) -> (item: Int, points: [Point])
    ) -> InputPoints {
        workspaces.with { workspace in
            var result: InputPoints = []
            let shared = column.forEachSliceSortedPresentValues(
                family: family, rows: slices[family.all].rows, kinds: 6, values: &workspace.values, scratch: &workspace.sort.scratch,
                payload: &workspace.payload
            ) { slice, counts, present in
                let (item, slicePoints) = points(slices[slice], counts, present)
                result.append((slice, item, slicePoints))
            }
            if !shared {
                for slice in family.sliceIndices {
                    var counts = [Int](repeating: 0, count: 6)
                    let present = sortedPresentValues(of: column, rows: slices[slice].rows, counts: &counts, workspace: &workspace)
                    let (item, slicePoints) = points(slices[slice], counts, present)
                    result.append((slice, item, slicePoints))
                }
            }
            return result
        }
    }

    private func collect(_ work: InputWork, _ results: [InputPoints], into outcome: inout Outcome) {
        let slices = work.slices
        let numericItems = model.numericFeatures.count
        let items = 1 + numericItems + model.categoricalFeatures.count
        var grid = [[Point]](repeating: [], count: slices.count * items)
        for result in results {
            for (slice, item, points) in result { grid[slice * items + item] = points }
        }
        for index in slices.indices {
            for item in 0..<items {
                let points = grid[index * items + item]
                if item > 0, slices[index].segment == Tags.allValue, let first = points.first {
                    let feature = item <= numericItems ? model.numericFeatures[item - 1] : model.categoricalFeatures[item - 1 - numericItems]
                    if case .float(let rate)? = first.fields.first(where: { $0.key == "missing_rate" })?.value, rate >= 0.1 {
                        outcome.mostMissing.append((feature, rate))
                    }
                    if case .float(let psi)? = first.fields.first(where: { $0.key == "psi" })?.value {
                        outcome.driftiest.append((feature, psi))
                    }
                }
                outcome.points += points
            }
        }
        outcome.driftiest.sort { $0.psi > $1.psi }
        outcome.mostMissing.sort { $0.rate > $1.rate }
    }

    private func outputPoints(slice: Slice, workspaces: SampleWorkspaces, tags: [(key: String, value: String)], timestampMs: Int64, fingerprint: String?) -> [Point] {
        workspaces.with { workspace in
            // Sort once: the summary's quantiles, the drift's bins and KS and the threshold counts share the order.
            var kinds = [Int](repeating: 0, count: 6)
            let present = sortedPresentValues(of: table.score, rows: slice.rows, counts: &kinds, workspace: &workspace)
            return outputPoints(slice: slice, present: present, tags: tags, timestampMs: timestampMs, fingerprint: fingerprint)
        }
    }

    /// The present values of `column` in `rows`, sorted, with each cell counted by kind into `counts`.
    private func sortedPresentValues(
        of column: NumericColumn, rows: [Int32], counts: inout [Int], workspace: inout SampleWorkspaces.Workspace
    ) -> SortedPresentValues {
        workspace.values.removeAll(keepingCapacity: true)
        workspace.values.reserveCapacity(rows.count)
        if let present = column.gatherSortedPresentValues(rows: rows, into: &workspace.values, counts: &counts, scratch: &workspace.sort.scratch) {
            return present.runsWhenTied()
        }
        column.forEach(rows: rows) { value in
            if value.isNaN {
                counts[Int(ScoreTable.numericKind(value).rawValue)] += 1
            } else {
                counts[0] += 1
                workspace.values.append(value)
            }
        }
        SortedSample.sortFinite(&workspace.values, workspace: &workspace.sort)
        return SortedPresentValues.values(workspace.values).runsWhenTied()
    }

    private func outputPoints(slice: Slice, present: SortedPresentValues, tags: [(key: String, value: String)], timestampMs: Int64, fingerprint: String?) -> [Point] {
        var point = Point(measurement: Schema.output.name, tags: tags, timestampMs: timestampMs)
        point.add("count", slice.rows.count)
        point.add("missing_rate", slice.rows.isEmpty ? nil : Double(slice.rows.count - present.count) / Double(slice.rows.count))
        if let summary = present.summary { PointBuilder.addSummary(summary, to: &point) }
        if let profile, !slice.rows.isEmpty {
            let drift = present.drift(against: profile.score, missingCount: slice.rows.count - present.count)
            point.add("psi", drift.psi)
            point.add("js", drift.js)
            point.add("ks", drift.ks)
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: slice.rows.count)))
            point.add("profile_fingerprint", fingerprint.map(FieldValue.string))
        }
        var points = [point]
        if present.count > 0 {
            for threshold in model.thresholds {
                var thresholdPoint = Point(measurement: Schema.outputThreshold.name, tags: tags + [(Tags.threshold, Self.label(threshold))], timestampMs: timestampMs)
                thresholdPoint.add("predicted_positive_rate", Double(present.countAtLeast(threshold)) / Double(present.count))
                points.append(thresholdPoint)
            }
        }
        return points
    }

    private func numericFeaturePoint(feature: Int, name: String, slice: Slice, workspaces: SampleWorkspaces, tags: [(key: String, value: String)], timestampMs: Int64, fingerprint: String?) -> Point {
        workspaces.with { workspace in
            var counts = [Int](repeating: 0, count: 6)
            let present = sortedPresentValues(of: table.numeric[feature], rows: slice.rows, counts: &counts, workspace: &workspace)
            return numericFeaturePoint(name: name, slice: slice, counts: counts, present: present, tags: tags, timestampMs: timestampMs, fingerprint: fingerprint)
        }
    }

    private func numericFeaturePoint(name: String, slice: Slice, counts: [Int], present: SortedPresentValues, tags: [(key: String, value: String)], timestampMs: Int64, fingerprint: String?) -> Point {
        var point = Point(measurement: Schema.feature.name, tags: tags + [(Tags.feature, name), (Tags.featureKind, "numeric")], timestampMs: timestampMs)
        addMissingness(counts: counts, total: slice.rows.count, to: &point)
        if let summary = present.summary { PointBuilder.addSummary(summary, to: &point) }
        // An entirely missing feature writes its missingness only: no statistic, no drift (the missing-rate
        // alert covers it, and a drift alert on the same cause would double the page).
        if let profile, case .numeric(let reference)? = profile.features[name], present.count > 0 {
            let drift = present.drift(against: reference, missingCount: slice.rows.count - present.count)
            point.add("psi", drift.psi)
            point.add("js", drift.js)
            point.add("ks", drift.ks)
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: slice.rows.count)))
            point.add("profile_fingerprint", fingerprint.map(FieldValue.string))
        }
        return point
    }

    private func categoricalFeaturePoints(feature: Int, name: String, slice: Slice, tags: [(key: String, value: String)], timestampMs: Int64, fingerprint: String?) -> [Point] {
        let counts = table.categories[feature].counts(rows: slice.rows, values: table.categoryValues[feature].count)
        return categoricalFeaturePoints(feature: feature, name: name, slice: slice, counts: counts, tags: tags, timestampMs: timestampMs, fingerprint: fingerprint)
    }

    private func categoricalFeaturePoints(
        feature: Int, name: String, slice: Slice, counts sliceCounts: CategoryCounts, tags: [(key: String, value: String)], timestampMs: Int64, fingerprint: String?
    ) -> [Point] {
        let counts = sliceCounts.kinds
        let codeCounts = sliceCounts.codes
        var categoryCounts: [String: Int] = [:]
        for (code, count) in codeCounts.enumerated() where count > 0 { categoryCounts[table.categoryValues[feature][code]] = count }
        let missing = slice.rows.count - counts[0]
        let featureTags = tags + [(Tags.feature, name)]
        var point = Point(measurement: Schema.feature.name, tags: featureTags + [(Tags.featureKind, "categorical")], timestampMs: timestampMs)
        addMissingness(counts: counts, total: slice.rows.count, to: &point)
        var reference: CategoricalFeatureProfile?
        if let profile, case .categorical(let categorical)? = profile.features[name] { reference = categorical }
        let summary = CategoricalSummary(counts: categoryCounts, reference: reference, topN: model.topCategories)
        if counts[0] > 0 {
            point.add("distinct_count", summary.distinctCount)
            point.add("unseen_rate", summary.unseenRate)
        }
        if let bins = categoricalBins[feature], counts[0] > 0 {
            let drift = bins.compare(counts: categoryCounts, missingCount: missing)
            point.add("psi", drift.psi)
            point.add("js", drift.js)
            point.add("drift_sufficient", .boolean(model.minimumSamples.admitDrift(rows: slice.rows.count)))
            point.add("profile_fingerprint", fingerprint.map(FieldValue.string))
        }
        var points = [point]
        for (rank, entry) in summary.top.enumerated() {
            var categoryPoint = Point(measurement: Schema.featureCategory.name, tags: featureTags + [(Tags.rank, Self.rank(rank + 1))], timestampMs: timestampMs)
            categoryPoint.add("category", .string(entry.category))
            categoryPoint.add("share", entry.share)
            categoryPoint.add("reference_share", reference.map { $0.share(of: entry.category) })
            points.append(categoryPoint)
        }
        return points
    }

    private func addMissingness(counts: [Int], total: Int, to point: inout Point) {
        point.add("count", total)
        point.add("missing_rate", total == 0 ? nil : Double(total - counts[0]) / Double(total))
        point.add("null_count", counts[Int(ValueKind.null.rawValue)])
        point.add("empty_count", counts[Int(ValueKind.empty.rawValue)])
        point.add("nan_count", counts[Int(ValueKind.nan.rawValue)])
        point.add("inf_count", counts[Int(ValueKind.infinite.rawValue)])
        point.add("invalid_count", counts[Int(ValueKind.invalid.rawValue)])
    }

    /// Threshold tag text: the shortest decimal form (`0.5`, `0.85`).
    static func label(_ threshold: Double) -> String {
        threshold == threshold.rounded() ? String(Int(threshold)) : threshold.description
    }

    static func rank(_ rank: Int) -> String { rank < 10 ? "0\(rank)" : String(rank) }
}
