/// Precision and recall among the highest-scored fraction of a window, ties at the cut-off included.
public struct TopKMetrics: Sendable, Equatable {
    /// The requested fraction in (0, 1].
    public var fraction: Double
    /// ceil(fraction · n), at least 1 in a non-empty window: the nominal number of rows selected.
    public var k: Int
    /// Rows with `score >= scoreCutoff`; more than `k` when scores tie at the cut-off.
    public var selected: Int
    /// Positives among the selected rows.
    public var selectedPositives: Int
    /// The k-th highest score; nil for an empty window.
    public var scoreCutoff: Double?
    /// selectedPositives / selected; nil for an empty window.
    public var precision: Double?
    /// selectedPositives / n_pos; nil without positives.
    public var recall: Double?
    /// Positives in the window: the denominator of ``recall``.
    public var nPositive: Int
    /// 95% Wilson interval of ``precision`` (selectedPositives out of selected); nil when precision is.
    public var precisionInterval: ProportionInterval? { .wilson(successes: selectedPositives, trials: selected) }
    /// 95% Wilson interval of ``recall`` (selectedPositives out of nPositive); nil when recall is.
    public var recallInterval: ProportionInterval? { .wilson(successes: selectedPositives, trials: nPositive) }

    /// Creates the metrics from counts.
    public init(
        fraction: Double, k: Int, selected: Int, selectedPositives: Int, scoreCutoff: Double?, nPositive: Int
    ) {
        self.fraction = fraction
        self.k = k
        self.selected = selected
        self.selectedPositives = selectedPositives
        self.scoreCutoff = scoreCutoff
        self.nPositive = nPositive
        precision = ratio(selectedPositives, selected)
        recall = ratio(selectedPositives, nPositive)
    }

    /// The nominal row count for `fraction` of `n` rows: ceil(fraction · n), guarded against float noise
    /// (0.07 · 100 = 7.000000000000001 must give 7), clamped to 1...n when n > 0.
    public static func nominalCount(fraction: Double, n: Int) -> Int {
        precondition(fraction > 0 && fraction <= 1, "top-k fraction must be in (0, 1]")
        guard n > 0 else { return 0 }
        let k = Int((fraction * Double(n) - 1e-9).rounded(.up))
        return min(max(k, 1), n)
    }

    /// Walks the tie groups from the top until k rows are covered, taking the whole last group.
    init(fraction: Double, sorted: SortedScores) {
        let n = sorted.nPositive + sorted.nNegative
        let k = Self.nominalCount(fraction: fraction, n: n)
        var selected = 0
        var selectedPositives = 0
        var cutoff: Double?
        if k > 0 {
            var groups = sorted.descendingTieGroups()
            while selected < k, let group = groups.next() {
                selected += group.positives + group.negatives
                selectedPositives += group.positives
                cutoff = group.score
            }
        }
        self.init(
            fraction: fraction, k: k, selected: selected, selectedPositives: selectedPositives,
            scoreCutoff: cutoff, nPositive: sorted.nPositive
        )
    }
}
