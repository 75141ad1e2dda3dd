import ModelwatchSources
import OrderedKeys

/// A performance window slice's scored and labelled rows: how many rows have a usable score, the labelled
/// rows' scores and labels in row order (the calibration sums run in that order), and, when a shared sort
/// produced them, the ``OrderedKeys/key(_:)`` of the positives' and of the negatives' scores, ascending.
struct LabelledScores {
    var scored = 0
    var scores: [Double] = []
    var labels: [Bool] = []
    var sortedKeys: (positives: [UInt64], negatives: [UInt64])?
}

extension NumericColumn {
    /// The ``LabelledScores`` of every slice of `family`, from one pass over the all-rows slice's `rows` and one
    /// sort (or count) of its labelled scores: calls `body` once per slice of the family (its index in the
    /// window's slice list, its scores), in no particular order. What `body` gets is what gathering and
    /// sorting that slice's own rows gives, bit for bit: the same scores and labels in row order, and the same
    /// sorted keys.
    ///
    /// `label` gives a row's label as of the window's as-of time (-1 none, 1 positive, else negative). Each
    /// labelled score's code is a key carrying the row's slice numbers (``SliceFamily/sliceNumbers``) in its low
    /// four bytes; positives and negatives are sorted apart by the code bytes only (or counted, one bucket per
    /// code and slice, when the codes span few values), and one stable pass deals the sorted keys out to the
    /// slices.
    ///
    /// A column of doubles, or one with a negative zero among the rows, is shared as doubles instead
    /// (``forEachSliceLabelledDoubleScores(family:rows:label:_:)``).
    ///
    /// Returns false, calling nothing, when the family has no segment column (the caller then gathers its one
    /// slice by itself).
    func forEachSliceLabelledScores(
        family: SliceFamily, rows: [Int32], label: (Int) -> Int8, _ body: (_ slice: Int, _ scores: LabelledScores) -> Void
    ) -> Bool {
        guard rows.count == family.sliceNumbers.count, !family.segments.isEmpty else { return false }
        guard let (codes, scale) = scaledCodes else {
            return forEachSliceLabelledDoubleScores(family: family, rows: rows, label: label, body)
        }
        let columns = family.segments.count
        let firstSlot = family.firstSlots
        let slots = firstSlot[columns]
        var all = LabelledScores()
        var segmentScored = [Int](repeating: 0, count: slots)
        // The labelled rows' slice numbers, beside `all.scores` and `all.labels`.
        var labelledNumbers: [UInt32] = []
        var positiveKeys: [UInt64] = [], negativeKeys: [UInt64] = []
        // Room for every row, so the arrays are not regrown (and copied) while the labelled rows are gathered;
        // room not used is never touched.
        all.scores.reserveCapacity(rows.count)
        all.labels.reserveCapacity(rows.count)
        labelledNumbers.reserveCapacity(rows.count)
        positiveKeys.reserveCapacity(rows.count)
        negativeKeys.reserveCapacity(rows.count)
        var smallestCode = UInt64.max, largestCode: UInt64 = 0
        var sawNegativeZero = false
        codes.withUnsafeBufferPointer { codes in
            family.sliceNumbers.withUnsafeBufferPointer { numbers in
                for position in rows.indices {
                    let row = Int(rows[position])
                    let code = codes[row]
                    guard code >= Self.missingCeiling else {
                        if code == Self.negativeZeroCode {
                            sawNegativeZero = true
                            break
                        }
                        continue
                    }
                    let slices = numbers[position]
                    all.scored &+= 1
                    for column in 0..<columns {
                        segmentScored[firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)] &+= 1
                    }
                    let rowLabel = label(row)
                    guard rowLabel >= 0 else { continue }
                    let sortKey = Self.sortKey(of: code)
                    smallestCode = Swift.min(smallestCode, sortKey)
                    largestCode = Swift.max(largestCode, sortKey)
                    all.scores.append(Double(code) / scale)
                    all.labels.append(rowLabel == 1)
                    labelledNumbers.append(slices)
                    if rowLabel == 1 {
                        positiveKeys.append(sortKey << 32 | UInt64(slices))
                    } else {
                        negativeKeys.append(sortKey << 32 | UInt64(slices))
                    }
                }
            }
        }
        if sawNegativeZero {
            // Codes cannot keep signed zeros apart; gathered as doubles, which can.
            return forEachSliceLabelledDoubleScores(family: family, rows: rows, label: label, body)
        }
        var segments = Self.segmentsInRowOrder(of: all, labelledNumbers: labelledNumbers, scored: segmentScored, firstSlot: firstSlot)
        labelledNumbers = []

        let distinctCodes = all.scores.isEmpty ? 0 : Int(largestCode - smallestCode) + 1
        let counted = distinctCodes <= Swift.min(Self.countingSortLimit, 2 * all.scores.count) && distinctCodes * slots <= 2 * Swift.max(all.scores.count, 1 << 20)
        /// One side's keys, sorted and dealt: the all-rows slice's and each segment slot's, ascending.
        func sortedAndDealt(_ keys: inout [UInt64]) -> (all: [UInt64], segments: [[UInt64]]) {
            var perSlot = [Int](repeating: 0, count: slots)
            for key in keys {
                for column in 0..<columns { perSlot[firstSlot[column] &+ Int((key >> UInt64(8 &* column)) & 0xFF)] &+= 1 }
            }
            var allKeys: [UInt64] = []
            allKeys.reserveCapacity(keys.count)
            var segmentKeys = perSlot.map { count -> [UInt64] in
                var keys: [UInt64] = []
                keys.reserveCapacity(count)
                return keys
            }
            let valueKey = { (sortKey: UInt64) in OrderedKeys.key(Double(Self.code(ofSortKey: sortKey)) / scale) }
            if counted {
                var buckets = [UInt32](repeating: 0, count: distinctCodes * slots)
                buckets.withUnsafeMutableBufferPointer { buckets in
                    for key in keys {
                        let base = Int((key >> 32) &- smallestCode) &* slots
                        for column in 0..<columns {
                            buckets[base &+ firstSlot[column] &+ Int((key >> UInt64(8 &* column)) & 0xFF)] &+= 1
                        }
                    }
                    for code in 0..<distinctCodes {
                        let base = code &* slots
                        var total = 0
                        for slot in firstSlot[0]..<firstSlot[1] { total &+= Int(buckets[base &+ slot]) }
                        guard total > 0 else { continue }
                        let key = valueKey(smallestCode &+ UInt64(code))
                        allKeys.append(contentsOf: repeatElement(key, count: total))
                        for slot in 0..<slots where buckets[base &+ slot] > 0 {
                            segmentKeys[slot].append(contentsOf: repeatElement(key, count: Int(buckets[base &+ slot])))
                        }
                    }
                }
            } else {
                var scratch = [UInt64](repeating: 0, count: keys.count)
                let inScratch = keys.withUnsafeMutableBufferPointer { keys in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        OrderedKeys.sort(keys, scratch: scratch, carryingLowBytes: 4)
                    }
                }
                if inScratch { swap(&keys, &scratch) }
                scratch = []
                var previous = UInt64.max, previousKey: UInt64 = 0
                for key in keys {
                    let code = key >> 32
                    if code != previous {
                        previous = code
                        previousKey = valueKey(code)
                    }
                    allKeys.append(previousKey)
                    for column in 0..<columns {
                        segmentKeys[firstSlot[column] &+ Int((key >> UInt64(8 &* column)) & 0xFF)].append(previousKey)
                    }
                }
            }
            keys = []
            return (allKeys, segmentKeys)
        }
        let positives = sortedAndDealt(&positiveKeys)
        let negatives = sortedAndDealt(&negativeKeys)
        Self.deliver(all: all, segments: &segments, positives: positives, negatives: negatives, family: family, firstSlot: firstSlot, body)
        return true
    }

    /// Each segment slot's labelled scores and labels in row order (and its scored count), dealt from the all-rows
    /// slice's with the labelled rows' slice numbers.
    static func segmentsInRowOrder(
        of all: LabelledScores, labelledNumbers: [UInt32], scored: [Int], firstSlot: [Int]
    ) -> [LabelledScores] {
        let columns = firstSlot.count - 1
        let slots = firstSlot[columns]
        var labelledCount = [Int](repeating: 0, count: slots)
        for slices in labelledNumbers {
            for column in 0..<columns { labelledCount[firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)] &+= 1 }
        }
        // Dealt into one buffer, slot after slot, through its storage, then cut into each slot's arrays (appending
        // to one slot's arrays a cell checked uniqueness and capacity every time).
        var start = [Int](repeating: 0, count: slots + 1)
        for slot in 0..<slots { start[slot + 1] = start[slot] + labelledCount[slot] }
        var scores = [Double](repeating: 0, count: start[slots])
        var labels = [Bool](repeating: false, count: start[slots])
        var next = Array(start.dropLast())
        all.scores.withUnsafeBufferPointer { allScores in
            all.labels.withUnsafeBufferPointer { allLabels in
                scores.withUnsafeMutableBufferPointer { scores in
                    labels.withUnsafeMutableBufferPointer { labels in
                        next.withUnsafeMutableBufferPointer { next in
                            for (index, slices) in labelledNumbers.enumerated() {
                                for column in 0..<columns {
                                    let slot = firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)
                                    scores[next[slot]] = allScores[index]
                                    labels[next[slot]] = allLabels[index]
                                    next[slot] &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<slots).map { slot in
            LabelledScores(scored: scored[slot], scores: Array(scores[start[slot]..<start[slot + 1]]), labels: Array(labels[start[slot]..<start[slot + 1]]))
        }
    }

    /// Calls `body` with the all-rows slice's scores, then each segment slot's, each with its sides' sorted keys.
    static func deliver(
        all: LabelledScores, segments: inout [LabelledScores], positives: (all: [UInt64], segments: [[UInt64]]),
        negatives: (all: [UInt64], segments: [[UInt64]]), family: SliceFamily, firstSlot: [Int],
        _ body: (_ slice: Int, _ scores: LabelledScores) -> Void
    ) {
        var all = all
        all.sortedKeys = (positives.all, negatives.all)
        body(family.all, all)
        for column in 0..<family.segments.count {
            for slot in firstSlot[column]..<firstSlot[column + 1] {
                var scores = segments[slot]
                segments[slot] = LabelledScores()
                scores.sortedKeys = (positives.segments[slot], negatives.segments[slot])
                body(family.segments[column][slot - firstSlot[column]], scores)
            }
        }
    }
}
