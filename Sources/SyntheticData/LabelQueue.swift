/// One label waiting for its `label_time`.
struct PendingLabel: Sendable {
    var labelTimeMs: Int64
    var predictionIndex: Int64
    var label: Bool

    /// Heap order: label time, then prediction index (a total, deterministic order).
    @inline(__always)
    static func precedes(_ a: PendingLabel, _ b: PendingLabel) -> Bool {
        a.labelTimeMs < b.labelTimeMs || (a.labelTimeMs == b.labelTimeMs && a.predictionIndex < b.predictionIndex)
    }
}

/// Labels not yet emitted, as a binary min-heap on (label time, prediction index).
///
/// Holding only labels later than the current prediction time keeps memory proportional to
/// predictions per label delay, not to the scenario.
struct LabelQueue: Sendable {
    private var heap: [PendingLabel] = []
    /// The largest number of labels held at once.
    private(set) var peakCount = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ item: PendingLabel) {
        heap.append(item)
        heap.withUnsafeMutableBufferPointer { h in
            // Sift the new item up, moving parents into the hole.
            var child = h.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                guard PendingLabel.precedes(item, h[parent]) else { break }
                h[child] = h[parent]
                child = parent
            }
            h[child] = item
        }
        if heap.count > peakCount { peakCount = heap.count }
    }

    /// Removes and returns the earliest label if its time is before `limitMs`.
    mutating func popEarliest(before limitMs: Int64) -> PendingLabel? {
        guard let first = heap.first, first.labelTimeMs < limitMs else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap.withUnsafeMutableBufferPointer { h in
            // Sift `last` down from the root, moving smaller children into the hole.
            let count = h.count
            var hole = 0
            while true {
                var child = 2 * hole + 1
                guard child < count else { break }
                if child + 1 < count && PendingLabel.precedes(h[child + 1], h[child]) { child += 1 }
                guard PendingLabel.precedes(h[child], last) else { break }
                h[hole] = h[child]
                hole = child
            }
            h[hole] = last
        }
        return first
    }
}

/// Reorders labels locally: holds up to `window` labels and releases a random one when full, so
/// the output is shuffled with memory bounded by the window.
struct ShuffleWindow: Sendable {
    private var held: [PendingLabel] = []
    private let window: Int
    private var rng: SeededRandom

    init(window: Int, seed: UInt64) {
        self.window = max(1, window)
        rng = SeededRandom(seed: seed)
        held.reserveCapacity(self.window)
    }

    /// Adds a label; returns one to emit once the window is full.
    mutating func add(_ item: PendingLabel) -> PendingLabel? {
        held.append(item)
        guard held.count >= window else { return nil }
        return takeRandom()
    }

    /// Removes and returns a random held label, or `nil` when empty.
    mutating func takeRandom() -> PendingLabel? {
        guard !held.isEmpty else { return nil }
        let index = rng.below(held.count)
        held.swapAt(index, held.count - 1)
        return held.removeLast()
    }
}
