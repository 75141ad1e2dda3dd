import OrderedKeys

/// Helpers over ascending-sorted finite samples, shared by the summary, the profile builders and the drift.
public enum SortedSample {
    /// The finite values of `values`, sorted ascending (NaN and ±inf are dropped: they are missing values).
    ///
    /// The result is exactly what the standard library's stable `sort()` gives, `-0.0` and `+0.0` keeping their
    /// input order, but large samples are sorted with an LSD radix sort on order-preserving integer keys
    /// (several times faster than the comparison sort on millions of values).
    public static func sortedFinite(_ values: [Double]) -> [Double] {
        var result = values.allSatisfy(\.isFinite) ? values : values.filter(\.isFinite)
        var workspace = SortWorkspace()
        sortFinite(&result, workspace: &workspace)
        return result
    }

    /// Buffers for repeated sorts: keeping one per thread saves allocating and page-faulting in two
    /// key buffers per sort (the large samples of a big window are tens of megabytes each).
    public struct SortWorkspace: Sendable {
        /// The radix sort's second buffer (callers sorting keys of their own may borrow it).
        public var scratch: [UInt64] = []
        public init() {}
    }

    /// Sorts finite `values` in place, exactly as ``sortedFinite(_:)`` would, using `workspace`'s buffers.
    public static func sortFinite(_ values: inout [Double], workspace: inout SortWorkspace) {
        assert(values.allSatisfy(\.isFinite), "sortFinite needs finite values")
        if values.count < radixThreshold {
            values.sort()
        } else {
            radixSort(&values, workspace: &workspace)
        }
    }

    /// Below this many values the comparison sort is as fast as the radix sort.
    static let radixThreshold = 2048

    /// Sorts finite doubles ascending like a stable `sort()`: LSD radix on 8-bit digits of an order-preserving
    /// key, skipping digits that every key shares; signed zeros are put back in their input order.
    static func radixSort(_ values: inout [Double]) {
        var workspace = SortWorkspace()
        radixSort(&values, workspace: &workspace)
    }

    static func radixSort(_ values: inout [Double], workspace: inout SortWorkspace) {
        let n = values.count
        if workspace.scratch.count < n { workspace.scratch.append(contentsOf: repeatElement(0, count: n - workspace.scratch.count)) }
        // The keys replace the values in place, so the sort needs one extra buffer, not two. Signed zeros get
        // equal keys; their input order is kept aside (only once a −0 shows up) to be put back.
        var zerosBeforeNegative = 0
        var originalZeros: [Double]?
        values.withUnsafeMutableBufferPointer { v in
            v.withMemoryRebound(to: UInt64.self) { k in
                for i in 0..<n {
                    let x = Double(bitPattern: k[i])
                    if x == 0 {
                        if originalZeros != nil {
                            originalZeros!.append(x)
                        } else if x.sign == .minus {
                            originalZeros = Array(repeating: 0.0, count: zerosBeforeNegative) + [x]
                        } else {
                            zerosBeforeNegative &+= 1
                        }
                    }
                    k[i] = OrderedKeys.key(x)
                }
                workspace.scratch.withUnsafeMutableBufferPointer { scratch in
                    let s = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
                    let sorted = OrderedKeys.sort(k, scratch: s) ? s : k
                    for i in 0..<n { k[i] = OrderedKeys.value(sorted[i]).bitPattern }
                }
            }
            if let originalZeros {
                // The zeros are one run; a stable sort keeps them (−0 and +0 compare equal) in input order.
                var lo = 0, hi = n
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if v[mid] < 0 { lo = mid + 1 } else { hi = mid }
                }
                for j in originalZeros.indices { v[lo + j] = originalZeros[j] }
            }
        }
    }

    /// Bin counts of sorted values against strictly increasing inner edges, `edges.count + 1` bins.
    ///
    /// The binning rule used everywhere in this module: a value `x` goes to bin
    /// `#{edges < x}`, i.e. bins are right-closed `(e[k−1], e[k]]` with open outer ends
    /// (−∞, e[0]] … (e[last], +∞). This is `np.searchsorted(edges, x, side="left")`, pandas `cut`'s
    /// default `right=True`, and sklearn `calibration_curve`'s rule; a value equal to an edge goes to the
    /// lower bin.
    public static func binCounts(sorted x: [Double], edges: [Double]) -> [Int] {
        binCounts(sample: SortedArray(values: x), edges: edges)
    }

    /// ``binCounts(sorted:edges:)`` of any ascending sample: a value `v` falls in the bin of the first edge at or
    /// above it, so bin `i` holds the values in `(edges[i − 1], edges[i]]`, counted with one binary search per
    /// edge (the sample's values are not visited one by one).
    static func binCounts<Sample: AscendingSample>(sample x: Sample, edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        var below = 0
        for (bin, edge) in edges.enumerated() {
            let atMost = x.countLessOrEqual(to: edge)
            counts[bin] = atMost - below
            below = atMost
        }
        counts[edges.count] = x.count - below
        return counts
    }

    /// Number of elements of sorted `x` strictly less than `value`.
    public static func countLess(_ x: [Double], _ value: Double) -> Int {
        countLess(x[...], value)
    }

    /// Number of elements of a sorted buffer `x` strictly less than `value`.
    public static func countLess(_ x: UnsafeBufferPointer<Double>, _ value: Double) -> Int {
        countLess(x[...], value)
    }

    /// Number of elements of sorted `x` less than or equal to `value`.
    public static func countLessOrEqual(_ x: [Double], _ value: Double) -> Int {
        countLessOrEqual(x[...], value)
    }

    static func countLess<Values: RandomAccessCollection>(_ x: Values, _ value: Double) -> Int
    where Values.Element == Double, Values.Index == Int {
        var lo = 0, hi = x.count
        let base = x.startIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if x[base &+ mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func countLessOrEqual<Values: RandomAccessCollection>(_ x: Values, _ value: Double) -> Int
    where Values.Element == Double, Values.Index == Int {
        var lo = 0, hi = x.count
        let base = x.startIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if x[base &+ mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
