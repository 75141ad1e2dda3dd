import ModelwatchSources
import OrderedKeys

extension NumericColumn {
    /// ``forEachSliceLabelledScores(family:rows:label:_:)`` read as doubles: for a score column stored as doubles
    /// (model probabilities as written by most producers) and for a scaled one with a negative zero among the
    /// rows. Each side's labelled scores are sorted once by their ``OrderedKeys/key(_:)`` with the row's slice
    /// numbers as the payload (``OrderedKeys/sort(_:payload:scratch:payloadScratch:)``) and dealt out stably;
    /// the scores and labels go to the slices in row order, so each slice gets what gathering its own rows gives.
    /// Returns false, calling nothing, when the family has no segment column.
    func forEachSliceLabelledDoubleScores(
        family: SliceFamily, rows: [Int32], label: (Int) -> Int8, _ body: (_ slice: Int, _ scores: LabelledScores) -> Void
    ) -> Bool {
        guard rows.count == family.sliceNumbers.count, !family.segments.isEmpty else { return false }
        if let doubles = storedDoubles {
            doubles.withUnsafeBufferPointer { doubles in
                sharedLabelledDoubles(family: family, rows: rows, label: label, cell: { doubles[$0] }, body)
            }
        } else if let (codes, scale) = scaledCodes {
            codes.withUnsafeBufferPointer { codes in
                sharedLabelledDoubles(family: family, rows: rows, label: label, cell: { Self.decode(codes[$0], scale: scale) }, body)
            }
        }
        return true
    }

    private func sharedLabelledDoubles(
        family: SliceFamily, rows: [Int32], label: (Int) -> Int8, cell: (Int) -> Double,
        _ body: (_ slice: Int, _ scores: LabelledScores) -> Void
    ) {
        let columns = family.segments.count
        let firstSlot = family.firstSlots
        let slots = firstSlot[columns]
        var all = LabelledScores()
        var segmentScored = [Int](repeating: 0, count: slots)
        // The labelled rows' slice numbers, beside `all.scores` and `all.labels`; each side's keys and slice numbers.
        var labelledNumbers: [UInt32] = []
        var positiveKeys: [UInt64] = [], positiveSlices: [UInt32] = []
        var negativeKeys: [UInt64] = [], negativeSlices: [UInt32] = []
        // Room for every row, so the arrays are not regrown (and copied) while the labelled rows are gathered;
        // room not used is never touched.
        all.scores.reserveCapacity(rows.count)
        all.labels.reserveCapacity(rows.count)
        labelledNumbers.reserveCapacity(rows.count)
        positiveKeys.reserveCapacity(rows.count)
        positiveSlices.reserveCapacity(rows.count)
        negativeKeys.reserveCapacity(rows.count)
        negativeSlices.reserveCapacity(rows.count)
        family.sliceNumbers.withUnsafeBufferPointer { numbers in
            for position in rows.indices {
                let row = Int(rows[position])
                let score = cell(row)
                guard !score.isNaN else { continue }
                let slices = numbers[position]
                all.scored &+= 1
                for column in 0..<columns {
                    segmentScored[firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)] &+= 1
                }
                let rowLabel = label(row)
                guard rowLabel >= 0 else { continue }
                all.scores.append(score)
                all.labels.append(rowLabel == 1)
                labelledNumbers.append(slices)
                if rowLabel == 1 {
                    positiveKeys.append(OrderedKeys.key(score))
                    positiveSlices.append(slices)
                } else {
                    negativeKeys.append(OrderedKeys.key(score))
                    negativeSlices.append(slices)
                }
            }
        }
        var segments = Self.segmentsInRowOrder(of: all, labelledNumbers: labelledNumbers, scored: segmentScored, firstSlot: firstSlot)
        labelledNumbers = []

        /// One side's keys, sorted with their slice numbers and dealt: the all-rows slice's and each slot's, ascending.
        func sortedAndDealt(_ keys: inout [UInt64], _ slices: inout [UInt32]) -> (all: [UInt64], segments: [[UInt64]]) {
            let n = keys.count
            var perSlot = [Int](repeating: 0, count: slots)
            for number in slices {
                for column in 0..<columns { perSlot[firstSlot[column] &+ Int((number >> UInt32(8 &* column)) & 0xFF)] &+= 1 }
            }
            var segmentKeys = perSlot.map { count -> [UInt64] in
                var keys: [UInt64] = []
                keys.reserveCapacity(count)
                return keys
            }
            var scratch = [UInt64](repeating: 0, count: n)
            var slicesScratch = [UInt32](repeating: 0, count: n)
            let inScratch = keys.withUnsafeMutableBufferPointer { keys in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    slices.withUnsafeMutableBufferPointer { slices in
                        slicesScratch.withUnsafeMutableBufferPointer { slicesScratch in
                            OrderedKeys.sort(keys, payload: slices, scratch: scratch, payloadScratch: slicesScratch)
                        }
                    }
                }
            }
            if inScratch {
                swap(&keys, &scratch)
                swap(&slices, &slicesScratch)
            }
            for index in 0..<n {
                let number = slices[index]
                for column in 0..<columns {
                    segmentKeys[firstSlot[column] &+ Int((number >> UInt32(8 &* column)) & 0xFF)].append(keys[index])
                }
            }
            let allKeys = keys
            keys = []
            slices = []
            return (allKeys, segmentKeys)
        }
        let positives = sortedAndDealt(&positiveKeys, &positiveSlices)
        let negatives = sortedAndDealt(&negativeKeys, &negativeSlices)
        Self.deliver(all: all, segments: &segments, positives: positives, negatives: negatives, family: family, firstSlot: firstSlot, body)
    }
}
