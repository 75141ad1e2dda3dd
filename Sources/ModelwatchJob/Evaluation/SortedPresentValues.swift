import DriftMetrics

/// A window's present values of one numeric column, in ascending order: every value, or, when the column's
/// codes span few values, each distinct value with its count (``SortedRuns``). Both give the same summary,
/// drift and threshold counts; the runs skip writing out millions of repeated values.
enum SortedPresentValues {
    case values([Double])
    /// Every value, in a buffer owned by the caller (a slice's part of a shared sort): valid only while the
    /// caller's closure runs.
    case buffer(UnsafeBufferPointer<Double>)
    case runs(SortedRuns)

    /// Number of present values.
    var count: Int {
        switch self {
        case .values(let values): values.count
        case .buffer(let values): values.count
        case .runs(let runs): runs.count
        }
    }

    /// The distribution statistics; nil when there is no value.
    var summary: NumericSummary? {
        switch self {
        case .values(let values): NumericSummary(sortedFiniteValues: values)
        case .buffer(let values): NumericSummary(sortedFiniteValues: values)
        case .runs(let runs): NumericSummary(sortedRuns: runs)
        }
    }

    /// Drift against `profile`, with the window's missing cells.
    func drift(against profile: NumericFeatureProfile, missingCount: Int) -> DriftResult {
        switch self {
        case .values(let values): NumericDrift.compare(profile: profile, sortedPresentValues: values, missingCount: missingCount)
        case .buffer(let values): NumericDrift.compare(profile: profile, sortedPresentValues: values, missingCount: missingCount)
        case .runs(let runs): NumericDrift.compare(profile: profile, sortedRuns: runs, missingCount: missingCount)
        }
    }

    /// Number of values at or above `threshold`.
    func countAtLeast(_ threshold: Double) -> Int {
        switch self {
        case .values(let values): values.count - SortedSample.countLess(values, threshold)
        case .buffer(let values): values.count - SortedSample.countLess(values, threshold)
        case .runs(let runs): runs.count - runs.countLess(than: threshold)
        }
    }
}
