/// Helpers over ascending-sorted finite samples, shared by the summary, the profile builders and the drift.
public enum SortedSample {
    /// The finite values of `values`, sorted ascending (NaN and ±inf are dropped: they are missing values).
    public static func sortedFinite(_ values: [Double]) -> [Double] {
        var result = values.allSatisfy(\.isFinite) ? values : values.filter(\.isFinite)
        result.sort()
        return result
    }

    /// Bin counts of sorted values against strictly increasing inner edges, `edges.count + 1` bins.
    ///
    /// The binning rule used everywhere in this module: a value `x` goes to bin
    /// `#{edges < x}`, i.e. bins are right-closed `(e[k−1], e[k]]` with open outer ends
    /// (−∞, e[0]] … (e[last], +∞). This is `np.searchsorted(edges, x, side="left")`, pandas `cut`'s
    /// default `right=True`, and sklearn `calibration_curve`'s rule; a value equal to an edge goes to the
    /// lower bin.
    public static func binCounts(sorted x: [Double], edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        var bin = 0
        for value in x {
            while bin < edges.count && edges[bin] < value { bin += 1 }
            counts[bin] += 1
        }
        return counts
    }

    /// Number of elements of sorted `x` strictly less than `value`.
    static func countLess(_ x: [Double], _ value: Double) -> Int {
        var lo = 0, hi = x.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if x[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Number of elements of sorted `x` less than or equal to `value`.
    static func countLessOrEqual(_ x: [Double], _ value: Double) -> Int {
        var lo = 0, hi = x.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if x[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
