/// Builds the ``SortedRuns`` of several samples at once, one per slot (a segment value's slice, the all-rows
/// slice), each from runs appended in ascending order.
///
/// What appending to an array of ``SortedRuns`` gives, for less: there, every append went through the outer
/// array's and both inner arrays' uniqueness and capacity checks (34 instructions an append, 8.5M appends in
/// the benchmark's 1M-row run with 8 segments); here it is a few stores into storage the collector owns. The order
/// is checked once per run when a slot's runs are taken (``runs(_:)``), as ``SortedRuns/append(_:count:)``
/// checks it per append.
public final class SortedRunsCollector {
    /// One slot's runs so far.
    @usableFromInline
    struct Slot {
        @usableFromInline var values: UnsafeMutablePointer<Double>?
        @usableFromInline var ends: UnsafeMutablePointer<Int>?
        /// Runs held.
        @usableFromInline var count = 0
        @usableFromInline var capacity = 0
        /// Values held (the last run's end).
        @usableFromInline var total = 0

        @usableFromInline
        init() {}
    }

    @usableFromInline
    let slots: UnsafeMutablePointer<Slot>
    /// Number of slots.
    public let slotCount: Int

    /// A collector of `slotCount` empty slots.
    public init(slots slotCount: Int) {
        precondition(slotCount >= 0)
        self.slotCount = slotCount
        slots = .allocate(capacity: Swift.max(1, slotCount))
        slots.initialize(repeating: Slot(), count: slotCount)
    }

    deinit {
        for slot in 0..<slotCount {
            slots[slot].values?.deallocate()
            slots[slot].ends?.deallocate()
        }
        slots.deallocate()
    }

    /// Appends `count` (positive) copies of `value` to slot `slot`; `value` must be finite and above every value
    /// the slot holds (checked by ``runs(_:)``).
    @inlinable @inline(__always)
    public func append(_ value: Double, count: Int, to slot: Int) {
        precondition(UInt(bitPattern: slot) < UInt(bitPattern: slotCount), "no such slot")
        let entry = slots + slot
        if entry.pointee.count == entry.pointee.capacity { grow(entry) }
        let run = entry.pointee.count
        let end = entry.pointee.total &+ count
        entry.pointee.values.unsafelyUnwrapped[run] = value
        entry.pointee.ends.unsafelyUnwrapped[run] = end
        entry.pointee.total = end
        entry.pointee.count = run &+ 1
    }

    /// Appends zeros with the signs `signs` to slot `slot`, as ``SortedRuns/appendZeros(signs:)`` does: one run
    /// per stretch of one sign; zero must be above every value the slot holds.
    public func appendZeros(signs: [FloatingPointSign], to slot: Int) {
        var start = 0
        while start < signs.count {
            var end = start + 1
            while end < signs.count, signs[end] == signs[start] { end += 1 }
            append(signs[start] == .minus ? -0.0 : 0.0, count: end - start, to: slot)
            start = end
        }
    }

    /// The runs of slot `slot`. Stops the program if they do not ascend (a caller's bug), as
    /// ``SortedRuns/append(_:count:)`` would have.
    public func runs(_ slot: Int) -> SortedRuns {
        precondition(UInt(bitPattern: slot) < UInt(bitPattern: slotCount), "no such slot")
        let entry = slots[slot]
        guard let values = entry.values, let ends = entry.ends else { return SortedRuns() }
        return SortedRuns(
            checkingValues: Array(UnsafeBufferPointer(start: values, count: entry.count)),
            ends: Array(UnsafeBufferPointer(start: ends, count: entry.count)))
    }

    /// Makes room for more runs in `entry` (doubling, from 16).
    @usableFromInline @inline(never)
    func grow(_ entry: UnsafeMutablePointer<Slot>) {
        let capacity = Swift.max(16, entry.pointee.capacity * 2)
        let values = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        if let old = entry.pointee.values {
            values.moveInitialize(from: old, count: entry.pointee.count)
            old.deallocate()
        }
        if let old = entry.pointee.ends {
            ends.moveInitialize(from: old, count: entry.pointee.count)
            old.deallocate()
        }
        entry.pointee.values = values
        entry.pointee.ends = ends
        entry.pointee.capacity = capacity
    }
}
