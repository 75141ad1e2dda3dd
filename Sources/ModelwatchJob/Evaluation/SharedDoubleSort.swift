import DriftMetrics
import ModelwatchSources
import OrderedKeys

extension NumericColumn {
    /// ``forEachSliceSortedPresentValues(family:rows:kinds:values:scratch:payload:_:)`` for a column stored as
    /// doubles: the present values' order-preserving 64-bit keys (``OrderedKeys/key(_:)-(Double)``) are sorted
    /// once with each row's slice numbers beside them, as a payload of one byte per segment column
    /// (``OrderedKeys/sort(_:payload:scratch:payloadScratch:)``), then dealt out stably to each column's slices.
    /// Each slice gets what a sort of its own values gives: the keys make −0 and +0 equal and the stable sort
    /// keeps them in row order, and the zeros' signs are put back (as a stable sort of doubles keeps them).
    /// Returns false, calling nothing, when the column is not stored as doubles.
    func forEachSliceSortedPresentDoubles(
        family: SliceFamily, rows: [Int32], kinds: Int, values: inout [Double], scratch: inout [UInt64], payload: inout [UInt8],
        _ body: (_ slice: Int, _ counts: [Int], _ present: SortedPresentValues) -> Void
    ) -> Bool {
        func sort(cell: (Int) -> Double) {
            switch family.segments.count {
            case 1: sharedDoubleSort(UInt8.self, family: family, rows: rows, kinds: kinds, values: &values, scratch: &scratch, payload: &payload, cell: cell, body)
            case 2: sharedDoubleSort(UInt16.self, family: family, rows: rows, kinds: kinds, values: &values, scratch: &scratch, payload: &payload, cell: cell, body)
            default: sharedDoubleSort(UInt32.self, family: family, rows: rows, kinds: kinds, values: &values, scratch: &scratch, payload: &payload, cell: cell, body)
            }
        }
        guard let doubles = storedDoubles else { return false }
        doubles.withUnsafeBufferPointer { doubles in sort { doubles[$0] } }
        return true
    }

    /// The shared sort with the slice numbers' low `Payload.bitWidth / 8` bytes as the payload (one per column).
    private func sharedDoubleSort<Payload: FixedWidthInteger & UnsignedInteger>(
        _: Payload.Type, family: SliceFamily, rows: [Int32], kinds: Int, values: inout [Double], scratch: inout [UInt64],
        payload: inout [UInt8], cell: (Int) -> Double, _ body: (_ slice: Int, _ counts: [Int], _ present: SortedPresentValues) -> Void
    ) {
        let n = rows.count
        let columns = family.segments.count
        precondition(columns * 8 <= Payload.bitWidth, "one payload byte per segment column")
        let firstSlot = family.firstSlots
        let segmentSlices = firstSlot[columns]
        var segmentPresent = [Int](repeating: 0, count: segmentSlices)
        var allKinds = [Int](repeating: 0, count: kinds)
        var segmentKinds = [[Int]](repeating: [Int](repeating: 0, count: kinds), count: segmentSlices)
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(0, count: n))
        if scratch.count < n { scratch.append(contentsOf: repeatElement(0, count: n - scratch.count)) }
        let payloadBytes = 2 * n * MemoryLayout<Payload>.stride
        if payload.count < payloadBytes { payload.append(contentsOf: repeatElement(0, count: payloadBytes - payload.count)) }
        var present = 0
        // The signs of each slice's zeros in row order: the keys make −0 and +0 equal (the stable sort keeps
        // them in row order), and the signs are put back after the sort, as a stable sort of doubles keeps them.
        var sawNegativeZero = false
        var allZeroSigns: [FloatingPointSign] = []
        var segmentZeroSigns = [[FloatingPointSign]](repeating: [], count: segmentSlices)
        family.sliceNumbers.withUnsafeBufferPointer { numbers in
            segmentPresent.withUnsafeMutableBufferPointer { segmentPresent in
                values.withUnsafeMutableBufferPointer { values in
                    withPayload(&payload, as: Payload.self) { sliceOf in
                        values.withMemoryRebound(to: UInt64.self) { keys in
                            for position in 0..<n {
                                let value = cell(Int(rows[position]))
                                let slices = numbers[position]
                                if value.isNaN {
                                    let kind = Int(ScoreTable.numericKind(value).rawValue)
                                    allKinds[kind] += 1
                                    for column in 0..<columns {
                                        segmentKinds[firstSlot[column] + Int((slices >> UInt32(8 * column)) & 0xFF)][kind] += 1
                                    }
                                } else {
                                    if value == 0 {
                                        if value.sign == .minus { sawNegativeZero = true }
                                        allZeroSigns.append(value.sign)
                                        for column in 0..<columns {
                                            segmentZeroSigns[firstSlot[column] + Int((slices >> UInt32(8 * column)) & 0xFF)].append(value.sign)
                                        }
                                    }
                                    keys[present] = OrderedKeys.key(value)
                                    sliceOf[present] = Payload(truncatingIfNeeded: slices)
                                    present &+= 1
                                    for column in 0..<columns {
                                        segmentPresent[firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)] &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let presentKind = Int(ValueKind.present.rawValue)
        allKinds[presentKind] = present
        for slot in 0..<segmentSlices { segmentKinds[slot][presentKind] = segmentPresent[slot] }

        // Sorted with the slice numbers carried along; then dealt out column by column into the other key buffer,
        // and finally decoded in place for the all-rows slice.
        values.withUnsafeMutableBufferPointer { values in
            scratch.withUnsafeMutableBufferPointer { scratch in
                withPayload(&payload, as: Payload.self) { slicesOf in
                    values.withMemoryRebound(to: UInt64.self) { keys in
                        let keyBuffer = UnsafeMutableBufferPointer(rebasing: keys[0..<present])
                        let scratchBuffer = UnsafeMutableBufferPointer(rebasing: scratch[0..<present])
                        let payloadBuffer = UnsafeMutableBufferPointer(rebasing: slicesOf[0..<present])
                        let payloadScratch = UnsafeMutableBufferPointer(rebasing: slicesOf[n..<(n + present)])
                        let sortedInScratch = OrderedKeys.sort(keyBuffer, payload: payloadBuffer, scratch: scratchBuffer, payloadScratch: payloadScratch)
                        let sorted = sortedInScratch ? scratchBuffer : keyBuffer
                        let sortedSlices = sortedInScratch ? payloadScratch : payloadBuffer
                        let other = sortedInScratch ? keyBuffer : scratchBuffer
                        if SortedPresentValues.hasManyTies(count: present, group: { sorted[$0] }) {
                            // Each slice as runs (see the shared sort of codes).
                            let runs = firstSlot.withUnsafeBufferPointer { firstSlot in
                                Self.runs(
                                    ofSortedKeys: UnsafeBufferPointer(sorted), slices: UnsafeBufferPointer(sortedSlices), firstSlot: firstSlot,
                                    zeroSigns: sawNegativeZero ? (allZeroSigns, segmentZeroSigns) : nil)
                            }
                            family.deliver(allKinds: allKinds, all: .runs(runs.all), segmentKinds: segmentKinds, segment: { .runs(runs.segments[$0]) }, body)
                            return
                        }
                        other.withMemoryRebound(to: Double.self) { dealt in
                            Self.dealToSegmentSlices(
                                count: present, family: family, firstSlot: firstSlot, segmentPresent: segmentPresent,
                                segmentKinds: segmentKinds, zeroSigns: sawNegativeZero ? segmentZeroSigns : nil, into: dealt,
                                number: { index, column in Int(truncatingIfNeeded: (sortedSlices[index] >> Payload(8 &* column)) & 0xFF) },
                                value: { index in OrderedKeys.value(sorted[index]) }, body)
                        }
                        sorted.withMemoryRebound(to: Double.self) { decoded in
                            for index in 0..<present { decoded[index] = OrderedKeys.value(decoded[index].bitPattern) }
                            if sawNegativeZero { Self.restoreZeroSigns(decoded, allZeroSigns) }
                            body(family.all, allKinds, .buffer(UnsafeBufferPointer(decoded)))
                        }
                    }
                }
            }
        }
        values.removeAll(keepingCapacity: true)
    }

    /// The runs of the all-rows slice and of every segment slot from sorted value keys (``OrderedKeys/key(_:)-(Double)``)
    /// and their slice numbers, each distinct value decoded once.
    @inline(never)
    private static func runs<Payload: FixedWidthInteger & UnsignedInteger>(
        ofSortedKeys sorted: UnsafeBufferPointer<UInt64>, slices: UnsafeBufferPointer<Payload>, firstSlot: UnsafeBufferPointer<Int>,
        zeroSigns: (all: [FloatingPointSign], segments: [[FloatingPointSign]])?
    ) -> (all: SortedRuns, segments: [SortedRuns]) {
        runs(
            count: sorted.count, firstSlot: firstSlot, zeroGroup: OrderedKeys.key(0.0), zeroSigns: zeroSigns, group: { sorted[$0] },
            slices: { UInt32(truncatingIfNeeded: slices[$0]) }, value: { OrderedKeys.value($0) })
    }

    /// Gives the zeros of ascending `sorted` (one run) the signs `signs`, in order.
    static func restoreZeroSigns(_ sorted: UnsafeMutableBufferPointer<Double>, _ signs: [FloatingPointSign]) {
        guard !signs.isEmpty else { return }
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < 0 { low = middle + 1 } else { high = middle }
        }
        for (offset, sign) in signs.enumerated() { sorted[low + offset] = sign == .minus ? -0.0 : 0.0 }
    }
}

/// The workspace's payload bytes as 1, 2 or 4-byte slice numbers.
private func withPayload<Payload, Result>(
    _ bytes: inout [UInt8], as _: Payload.Type, _ body: (UnsafeMutableBufferPointer<Payload>) -> Result
) -> Result {
    bytes.withUnsafeMutableBufferPointer { $0.withMemoryRebound(to: Payload.self, body) }
}
