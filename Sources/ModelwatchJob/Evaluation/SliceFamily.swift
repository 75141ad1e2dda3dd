/// A version's all-rows slice with the segment slices that split it, so a statistic of every slice can come
/// from one pass (one sort) over the version's rows instead of one per slice.
///
/// The segment slices of one column partition the all-rows slice, each keeping its rows in the same order;
/// ``sliceNumbers`` says, for each of the all-rows slice's rows, which of its column's slices it falls in.
struct SliceFamily: Sendable {
    /// The index of the all-rows slice in the window's slice list.
    let all: Int
    /// Per segment column: the indices of its slices in the window's slice list, in the order of their numbers.
    let segments: [[Int]]
    /// Per row of the all-rows slice, in its order: the number of its slice in each segment column, one byte a
    /// column, column 0 in the lowest byte.
    let sliceNumbers: [UInt32]

    /// At most this many segment columns share a family (one byte each of ``sliceNumbers``).
    static let maxColumns = 4
    /// At most this many slices per segment column (numbers fit a byte).
    static let maxSlicesPerColumn = 256

    /// Where each segment column's slices start when the segment slices are numbered in one run, column by
    /// column ("slots"): column `c`'s slice `s` is slot `firstSlots[c] + s`; the last entry is the number of slots.
    var firstSlots: [Int] {
        var first = [0]
        for column in segments { first.append(first.last! + column.count) }
        return first
    }

    /// Calls `body` with the all-rows slice (`allKinds`, `all`), then each segment slice column by column (its
    /// slot's kinds and values, `segmentKinds[slot]` and `segment(slot)`), each with its index in the window's
    /// slice list; slots are numbered as in ``firstSlots``.
    func deliver(
        allKinds: [Int], all: SortedPresentValues, segmentKinds: [[Int]], segment: (_ slot: Int) -> SortedPresentValues,
        _ body: (_ slice: Int, _ counts: [Int], _ present: SortedPresentValues) -> Void
    ) {
        body(self.all, allKinds, all)
        var slot = 0
        for column in segments {
            for slice in column {
                body(slice, segmentKinds[slot], segment(slot))
                slot += 1
            }
        }
    }

    /// Every slice index of the family: the all-rows slice, then the segment slices column by column.
    var sliceIndices: [Int] { [all] + segments.joined() }

    /// The number of the slice row `position` of the all-rows slice falls in, in segment column `column`.
    @inline(__always)
    func sliceNumber(of position: Int, column: Int) -> Int { Int((sliceNumbers[position] >> UInt32(8 * column)) & 0xFF) }
}
