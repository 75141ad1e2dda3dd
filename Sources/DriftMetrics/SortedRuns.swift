/// An ascending, finite sample held as its distinct values and how many times each occurs.
///
/// A window of millions of values drawn from a few thousand distinct ones (counts, ages, amounts with a few
/// decimals, rounded scores) is summarised and compared with its profile from its runs alone, without
/// writing out every value: ``NumericSummary/init(sortedRuns:)`` and
/// ``NumericDrift/compare(profile:sortedRuns:missingCount:)`` give what the expanded array gives.
public struct SortedRuns: Sendable, Equatable {
    /// The runs' values, ascending: strictly, apart from zeros, whose runs of `-0.0` and `0.0` may alternate
    /// (``appendZeros(signs:)``).
    public private(set) var values: [Double] = []
    /// `ends[i]`: how many values are at most `values[i]` (the run of `values[i]` holds positions
    /// `ends[i − 1] ..< ends[i]`), strictly ascending.
    public private(set) var ends: [Int] = []

    public init() {}

    /// The runs of an ascending, finite array (equal neighbours form one run; `-0.0` joins a run of `0.0`).
    public init(sorted: [Double]) {
        for value in sorted {
            if let last = values.last, last == value {
                ends[ends.count - 1] += 1
            } else {
                append(value, count: 1)
            }
        }
    }

    /// The runs of an ascending, finite buffer as it stands, zeros included: equal neighbours form one run,
    /// except that the zeros form one run per stretch of one sign (``appendZeros(signs:)``), so
    /// ``element(at:)`` gives each position's value bit for bit, as the buffer does.
    public init(ascending sorted: UnsafeBufferPointer<Double>) {
        var start = 0
        while start < sorted.count {
            let value = sorted[start]
            var end = start + 1
            while end < sorted.count, sorted[end] == value { end += 1 }
            if value == 0 {
                appendZeros(signs: sorted[start..<end].map(\.sign))
            } else {
                append(value, count: end - start)
            }
            start = end
        }
    }

    /// Runs given whole (``SortedRunsCollector``), checked as ``append(_:count:)`` and ``appendZeros(signs:)``
    /// check them (``isAscending(values:ends:)``).
    init(checkingValues values: [Double], ends: [Int]) {
        precondition(Self.isAscending(values: values, ends: ends), "runs must ascend")
        self.values = values
        self.ends = ends
    }

    /// Whether `values` and `ends` are runs: as many of each, finite values each above the one before (zeros may
    /// follow zeros: the signed zeros' runs), ends strictly ascending from a positive first.
    static func isAscending(values: [Double], ends: [Int]) -> Bool {
        guard values.count == ends.count else { return false }
        var previousValue = -Double.infinity
        var previousEnd = 0
        for run in values.indices {
            let value = values[run], end = ends[run]
            guard value.isFinite && (value > previousValue || (value == 0 && previousValue == 0)) && end > previousEnd else { return false }
            previousValue = value
            previousEnd = end
        }
        return true
    }

    /// Number of values (all runs together).
    public var count: Int { ends.last ?? 0 }

    /// True when there is no value.
    public var isEmpty: Bool { ends.isEmpty }

    /// Appends `count` (positive) copies of `value`, which must be finite and above every value held.
    public mutating func append(_ value: Double, count: Int) {
        precondition(count > 0 && value.isFinite && (values.last.map { $0 < value } ?? true), "runs must ascend")
        values.append(value)
        ends.append(self.count + count)
    }

    /// Appends zeros with the signs `signs`, in order (each `.minus` a `-0.0`), as one run per stretch of one
    /// sign; zero must be above every value held. Equal values in neighbouring runs, which the statistics merge
    /// as they merge a sorted array's ties, so that ``element(at:)`` gives each position's zero as the array
    /// it stands for (a stable sort of doubles keeps signed zeros in their input order) would.
    public mutating func appendZeros(signs: [FloatingPointSign]) {
        precondition(values.last.map { $0 < 0 } ?? true, "runs must ascend")
        var start = 0
        while start < signs.count {
            var end = start + 1
            while end < signs.count, signs[end] == signs[start] { end += 1 }
            values.append(signs[start] == .minus ? -0.0 : 0.0)
            ends.append(count + end - start)
            start = end
        }
    }

    /// Every value, in order.
    public func expanded() -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(count)
        var start = 0
        for (value, end) in zip(values, ends) {
            result.append(contentsOf: repeatElement(value, count: end - start))
            start = end
        }
        return result
    }

    /// Number of values strictly less than `value`: those of the runs below the first run not below it.
    public func countLess(than value: Double) -> Int {
        count(ofRunsBefore: SortedSample.countLess(values, value))
    }

    /// Number of values less than or equal to `value`.
    public func countLessOrEqual(to value: Double) -> Int {
        count(ofRunsBefore: SortedSample.countLessOrEqual(values, value))
    }

    /// Number of values in runs `0 ..< run`.
    private func count(ofRunsBefore run: Int) -> Int { run == 0 ? 0 : ends[run - 1] }
}

/// An ascending, finite sample read run by run: the common ground of a sorted array (every value its own run)
/// and ``SortedRuns``, so the summary and the drift are written once for both.
protocol AscendingSample {
    /// Number of values.
    var count: Int { get }
    /// Number of runs; neighbouring runs may hold equal values (a sorted array's ties).
    var runCount: Int { get }
    /// The value of run `run`.
    func value(ofRun run: Int) -> Double
    /// How many values runs `0 ... run` hold together.
    func end(ofRun run: Int) -> Int
    /// The value at 0-based `position` in ascending order.
    func element(at position: Int) -> Double
    /// Number of values strictly less than `value`.
    func countLess(than value: Double) -> Int
    /// Number of values less than or equal to `value`.
    func countLessOrEqual(to value: Double) -> Int
}

extension AscendingSample {
    /// Calls `body` with each distinct value (equal neighbouring runs merged) and how many times it occurs,
    /// in ascending order.
    @inline(__always)
    func forEachDistinct(_ body: (Double, Int) -> Void) {
        let runs = runCount
        guard runs > 0 else { return }
        var value = self.value(ofRun: 0)
        var start = 0
        for run in 1..<runs {
            let next = self.value(ofRun: run)
            if next != value {
                let end = self.end(ofRun: run - 1)
                body(value, end - start)
                start = end
                value = next
            }
        }
        body(value, count - start)
    }
}

/// A sorted array (or a buffer of one) as an ``AscendingSample``: each value is a run of one.
struct SortedArray<Values: RandomAccessCollection>: AscendingSample where Values.Element == Double, Values.Index == Int {
    let values: Values

    var count: Int { values.count }
    var runCount: Int { values.count }
    @inline(__always) func value(ofRun run: Int) -> Double { values[values.startIndex &+ run] }
    @inline(__always) func end(ofRun run: Int) -> Int { run + 1 }
    @inline(__always) func element(at position: Int) -> Double { values[values.startIndex &+ position] }
    func countLess(than value: Double) -> Int { SortedSample.countLess(values, value) }
    func countLessOrEqual(to value: Double) -> Int { SortedSample.countLessOrEqual(values, value) }
}

extension SortedRuns: AscendingSample {
    var runCount: Int { values.count }
    @inline(__always) func value(ofRun run: Int) -> Double { values[run] }
    @inline(__always) func end(ofRun run: Int) -> Int { ends[run] }

    /// The value at `position`: that of the first run ending after it.
    func element(at position: Int) -> Double {
        var lo = 0, hi = ends.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if ends[mid] > position { hi = mid } else { lo = mid + 1 }
        }
        return values[lo]
    }
}
