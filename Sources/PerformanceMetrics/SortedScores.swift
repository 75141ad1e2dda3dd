import OrderedKeys

/// The window's scores split by label, each side sorted ascending as ``OrderedKeys/key(_:)`` integers.
///
/// This is the one sort per evaluation: AUC, DeLong, average precision, thresholds and top-k all read it.
struct SortedScores {
    /// Keys of the positives' scores, ascending.
    private(set) var positives: [UInt64]
    /// Keys of the negatives' scores, ascending.
    private(set) var negatives: [UInt64]

    /// Splits the rows by label and sorts both sides.
    ///
    /// - Precondition: `scores.count == labels.count` and every score is finite (the caller filters).
    init(scores: [Double], labels: [Bool]) {
        precondition(scores.count == labels.count, "scores and labels must have the same length")
        var nPositive = 0
        for label in labels where label { nPositive += 1 }
        var positives = [UInt64](repeating: 0, count: nPositive)
        var negatives = [UInt64](repeating: 0, count: scores.count - nPositive)
        positives.withUnsafeMutableBufferPointer { pos in
            negatives.withUnsafeMutableBufferPointer { neg in
                var i = 0
                var j = 0
                for row in scores.indices {
                    let s = scores[row]
                    precondition(s.isFinite, "scores must be finite; filter NaN and ±inf before evaluating")
                    if labels[row] {
                        pos[i] = OrderedKeys.key(s)
                        i += 1
                    } else {
                        neg[j] = OrderedKeys.key(s)
                        j += 1
                    }
                }
            }
        }
        OrderedKeys.sort(&positives)
        OrderedKeys.sort(&negatives)
        self.positives = positives
        self.negatives = negatives
    }

    /// Keys already split by label and sorted ascending (by a caller sharing one sort among several windows).
    init(sortedPositives: [UInt64], sortedNegatives: [UInt64]) {
        assert(zip(sortedPositives, sortedPositives.dropFirst()).allSatisfy { $0 <= $1 }, "positives must be sorted")
        assert(zip(sortedNegatives, sortedNegatives.dropFirst()).allSatisfy { $0 <= $1 }, "negatives must be sorted")
        positives = sortedPositives
        negatives = sortedNegatives
    }

    /// Number of positive rows.
    var nPositive: Int { positives.count }
    /// Number of negative rows.
    var nNegative: Int { negatives.count }

    /// Rows with `score >= threshold`, as (positives, negatives), by binary search.
    func countAtOrAbove(_ threshold: Double) -> (positives: Int, negatives: Int) {
        precondition(!threshold.isNaN, "threshold must not be NaN")
        let key = OrderedKeys.key(threshold)
        return (
            positives.count - Self.lowerBound(positives, key),
            negatives.count - Self.lowerBound(negatives, key)
        )
    }

    /// First index whose key is not less than `key`.
    private static func lowerBound(_ keys: [UInt64], _ key: UInt64) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Walks the distinct scores from highest to lowest.
    func descendingTieGroups() -> DescendingTieGroups {
        DescendingTieGroups(positives: positives, negatives: negatives)
    }
}

/// All rows sharing one score: how many are positive and how many negative.
struct TieGroup {
    /// The shared ``OrderedKeys/key(_:)``.
    var key: UInt64
    /// Positives with this score.
    var positives: Int
    /// Negatives with this score.
    var negatives: Int
    /// The shared score.
    var score: Double { OrderedKeys.value(key) }
}

/// Iterates tie groups from the highest score down by merging the two sorted key arrays.
struct DescendingTieGroups: IteratorProtocol {
    private let positives: [UInt64]
    private let negatives: [UInt64]
    private var i: Int
    private var j: Int

    init(positives: [UInt64], negatives: [UInt64]) {
        self.positives = positives
        self.negatives = negatives
        i = positives.count
        j = negatives.count
    }

    mutating func next() -> TieGroup? {
        let key: UInt64
        if i > 0, j > 0 {
            key = max(positives[i - 1], negatives[j - 1])
        } else if i > 0 {
            key = positives[i - 1]
        } else if j > 0 {
            key = negatives[j - 1]
        } else {
            return nil
        }
        var p = 0
        while i > 0, positives[i - 1] == key {
            i -= 1
            p += 1
        }
        var q = 0
        while j > 0, negatives[j - 1] == key {
            j -= 1
            q += 1
        }
        return TieGroup(key: key, positives: p, negatives: q)
    }
}
