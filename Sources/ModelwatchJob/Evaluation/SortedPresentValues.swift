import DriftMetrics
import OrderedKeys

/// A window's present values of one numeric column, in ascending order: every value, or, when the column's
/// codes span few values, each distinct value with its count (``SortedRuns``). Both give the same summary,
/// drift and threshold counts; the runs skip writing out millions of repeated values.
enum SortedPresentValues {
    case values([Double])
    /// Every value, in a buffer owned by the caller (a slice's part of a shared sort): valid only while the
    /// caller's closure runs.
    case buffer(UnsafeBufferPointer<Double>)
    case runs(SortedRuns)

    /// Values held as runs when they occur at least this many times each on average (the statistics then step
    /// per distinct value instead of per value).
    static let tiesForRuns = 2

    /// Whether `count` items in ascending order of `group` (equal groups side by side) have many ties: at least
    /// one item, and on average at least ``tiesForRuns`` items a group. One pass, inlined into each caller.
    @inline(__always)
    static func hasManyTies(count: Int, group: (Int) -> UInt64) -> Bool {
        guard count > 0 else { return false }
        var previous = group(0)
        var distinct = 1
        for index in 1..<count {
            let current = group(index)
            distinct &+= current != previous ? 1 : 0
            previous = current
        }
        return distinct * tiesForRuns <= count
    }

    /// The same values as runs when they have many ties (``tiesForRuns``; −0 and +0 count as one value);
    /// otherwise unchanged.
    func runsWhenTied() -> SortedPresentValues {
        guard case .values(let values) = self else { return self }
        return values.withUnsafeBufferPointer { buffer in
            Self.hasManyTies(count: buffer.count, group: { OrderedKeys.key(buffer[$0]) }) ? .runs(SortedRuns(ascending: buffer)) : self
        }
    }

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
