import DriftMetrics
import ModelwatchSources
import OrderedKeys

extension NumericColumn {
    /// The present values of every slice of `family`, in ascending order, from one gather and one sort of the
    /// all-rows slice's `rows`: calls `body` once per slice of the family (its index in the window's slice
    /// list, its cells counted by kind, its sorted present values), in no particular order. What `body` gets is
    /// what ``gatherSortedPresentValues(rows:into:counts:scratch:)`` gives for that slice's rows, and the
    /// values it sees are valid only during the call.
    ///
    /// Each code's key carries the row's slice numbers (``SliceFamily/sliceNumbers``) in its low four bytes;
    /// the radix sort orders by the code bytes only and carries them along, and one stable pass per segment
    /// column then deals the sorted values out to that column's slices, each slice's values in ascending order.
    /// Columns whose codes span few values are counted instead, one bucket per code and slice.
    ///
    /// A column of doubles is sorted by its values' 64-bit keys with the slice numbers beside them
    /// (``forEachSliceSortedPresentDoubles(family:rows:kinds:values:scratch:payload:_:)``); `payload` is that
    /// sort's buffer of slice numbers.
    ///
    /// A −0 is sorted as +0 and the zeros' signs put back in row order afterwards (a counted slice's zeros as runs
    /// of one sign each, ``SortedRuns/appendZeros(signs:)``), so each slice still gets what sorting its own rows gives.
    ///
    /// Returns false, calling nothing, when the family has no segment column and the column holds doubles (the
    /// caller then sorts its one slice by itself).
    func forEachSliceSortedPresentValues(
        family: SliceFamily, rows: [Int32], kinds: Int, values: inout [Double], scratch: inout [UInt64], payload: inout [UInt8],
        _ body: (_ slice: Int, _ counts: [Int], _ present: SortedPresentValues) -> Void
    ) -> Bool {
        guard rows.count == family.sliceNumbers.count else { return false }
        guard let (codes, scale) = scaledCodes else {
            guard !family.segments.isEmpty else { return false }
            return forEachSliceSortedPresentDoubles(
                family: family, rows: rows, kinds: kinds, values: &values, scratch: &scratch, payload: &payload, body)
        }
        let n = rows.count
        let columns = family.segments.count
        // Present counts of every segment slice, flat: column `c`'s slice `s` at `firstSlot[c] + s`.
        let firstSlot = family.firstSlots
        let segmentSlices = firstSlot[columns]
        if columns > 0, let bounds = valueCodeBounds {
            let distinctCodes = Int(bounds.upperBound) - Int(bounds.lowerBound) + 1
            if distinctCodes <= Swift.min(Self.countingSortLimit, 2 * n), distinctCodes * segmentSlices <= 2 * Swift.max(n, 1 << 20) {
                countEverySlice(
                    codes: codes, scale: scale, smallestKey: Self.sortKey(of: bounds.lowerBound), distinctCodes: distinctCodes, family: family, rows: rows,
                    kinds: kinds, scratch: &scratch, body)
                return true
            }
        }
        var segmentPresent = [Int](repeating: 0, count: segmentSlices)
        var allKinds = [Int](repeating: 0, count: kinds)
        // Cells not present, by kind, per slot (flat: slot × kinds).
        var missing = [Int](repeating: 0, count: segmentSlices * kinds)
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(0, count: n))
        if scratch.count < n { scratch.append(contentsOf: repeatElement(0, count: n - scratch.count)) }
        let (present, sawNegativeZero) = values.withUnsafeMutableBufferPointer { values in
            values.withMemoryRebound(to: UInt64.self) { keys in
                codes.withUnsafeBufferPointer { codes in
                    rows.withUnsafeBufferPointer { rows in
                        family.sliceNumbers.withUnsafeBufferPointer { numbers in
                            firstSlot.withUnsafeBufferPointer { firstSlot in
                                segmentPresent.withUnsafeMutableBufferPointer { segmentPresent in
                                    allKinds.withUnsafeMutableBufferPointer { allKinds in
                                        missing.withUnsafeMutableBufferPointer { missing in
                                            Self.gatherKeys(
                                                codes: codes, rows: rows, numbers: numbers, firstSlot: firstSlot, keys: keys,
                                                segmentPresent: segmentPresent, allKinds: allKinds, missing: missing, kinds: kinds)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let segmentKinds = Self.slotKinds(missing: missing, present: segmentPresent, kinds: kinds)
        // The signs of each slice's zeros in row order (a stable sort of doubles keeps −0 and +0 in row order;
        // the codes sort both as +0), when there is a −0 to put back.
        let zeroSigns = sawNegativeZero ? Self.zeroSigns(codes: codes, rows: rows, family: family, firstSlot: firstSlot) : nil
        allKinds[Int(ValueKind.present.rawValue)] = present

        // Sorted by the code bytes, the slice numbers carried along; then dealt out column by column into the
        // other buffer, and finally decoded in place for the all-rows slice.
        values.withUnsafeMutableBufferPointer { values in
            scratch.withUnsafeMutableBufferPointer { scratch in
                values.withMemoryRebound(to: UInt64.self) { keys in
                    let keyBuffer = UnsafeMutableBufferPointer(rebasing: keys[0..<present])
                    let scratchBuffer = UnsafeMutableBufferPointer(rebasing: scratch[0..<present])
                    let sortedInScratch = OrderedKeys.sort(keyBuffer, scratch: scratchBuffer, carryingLowBytes: 4)
                    let sorted = sortedInScratch ? scratchBuffer : keyBuffer
                    let other = sortedInScratch ? keyBuffer : scratchBuffer
                    if SortedPresentValues.hasManyTies(count: present, group: { sorted[$0] >> 32 }) {
                        // Each slice as runs, a distinct value decoded once (the statistics then take a step per
                        // distinct value rather than per value).
                        let runs = firstSlot.withUnsafeBufferPointer { firstSlot in
                            Self.runs(ofSortedKeys: UnsafeBufferPointer(sorted), firstSlot: firstSlot, scale: scale, zeroSigns: zeroSigns)
                        }
                        family.deliver(allKinds: allKinds, all: .runs(runs.all), segmentKinds: segmentKinds, segment: { .runs(runs.segments[$0]) }, body)
                        return
                    }
                    other.withMemoryRebound(to: Double.self) { dealt in
                        Self.dealToSegmentSlices(
                            count: present, family: family, firstSlot: firstSlot, segmentPresent: segmentPresent,
                            segmentKinds: segmentKinds, zeroSigns: zeroSigns?.segments, into: dealt,
                            number: { index, column in Int((sorted[index] >> UInt64(8 &* column)) & 0xFF) },
                            value: { index in Double(Self.code(ofSortKey: sorted[index] >> 32)) / scale }, body)
                    }
                    sorted.withMemoryRebound(to: Double.self) { decoded in
                        for index in 0..<present {
                            decoded[index] = Double(Self.code(ofSortKey: decoded[index].bitPattern >> 32)) / scale
                        }
                        if let zeroSigns { Self.restoreZeroSigns(decoded, zeroSigns.all) }
                        body(family.all, allKinds, .buffer(UnsafeBufferPointer(decoded)))
                    }
                }
            }
        }
        values.removeAll(keepingCapacity: true)
        return true
    }

    /// Counts every slice's codes in one pass over `rows`, one 32-bit bucket per (code, segment slice), a code's
    /// slices side by side (a row touches one cache line, as in a count of one slice), and calls `body` with each
    /// slice's runs: each distinct value, decoded once, with its count. The all-rows slice's count of a code is
    /// the sum over column 0's slices (they partition it). The column's value codes lie in
    /// `smallestKey ..< smallestKey + distinctCodes` (as sort keys: ``NumericColumn/valueCodeBounds``), so the
    /// buckets are known before the pass and the codes are counted where they are read, not gathered first.
    private func countEverySlice(
        codes: [Int32], scale: Double, smallestKey: UInt64, distinctCodes: Int, family: SliceFamily, rows: [Int32], kinds: Int,
        scratch: inout [UInt64], _ body: (_ slice: Int, _ counts: [Int], _ present: SortedPresentValues) -> Void
    ) {
        let columns = family.segments.count
        let firstSlot = family.firstSlots
        let slots = firstSlot[columns]
        // Cells not present, by kind, per slot (flat: slot × kinds); the all-rows slice's are column 0's summed.
        var missing = [Int](repeating: 0, count: slots * kinds)
        let bucketCount = distinctCodes * slots
        let words = (bucketCount + 1) / 2
        if scratch.count < words { scratch.append(contentsOf: repeatElement(0, count: words - scratch.count)) }
        var sawNegativeZero = false
        // The segment slots' runs, and the all-rows slice's in slot `slots`.
        let runs = SortedRunsCollector(slots: slots + 1)
        var segmentPresent = [Int](repeating: 0, count: slots)
        var present = 0
        let zeroCode = Int(Self.sortKey(of: 0)) - Int(smallestKey)
        scratch.withUnsafeMutableBufferPointer { scratch in
            UnsafeMutableBufferPointer(rebasing: scratch[0..<words]).withMemoryRebound(to: UInt32.self) { counts in
                let buckets = UnsafeMutableBufferPointer(rebasing: counts[0..<bucketCount])
                buckets.update(repeating: 0)
                codes.withUnsafeBufferPointer { codes in
                    rows.withUnsafeBufferPointer { rows in
                        family.sliceNumbers.withUnsafeBufferPointer { numbers in
                            firstSlot.withUnsafeBufferPointer { firstSlot in
                                missing.withUnsafeMutableBufferPointer { missing in
                                    sawNegativeZero = Self.countCodes(
                                        codes: codes, rows: rows, numbers: numbers, smallestKey: smallestKey, firstSlot: firstSlot,
                                        buckets: buckets, missing: missing, kinds: kinds)
                                }
                            }
                        }
                    }
                }
                // The signs of each slice's zeros in row order, when there is a −0 to put back.
                let zeroSigns = sawNegativeZero ? Self.zeroSigns(codes: codes, rows: rows, family: family, firstSlot: firstSlot) : nil
                let slotsOfColumnZero = firstSlot[0]..<firstSlot[1]
                for code in 0..<distinctCodes {
                    let base = code &* slots
                    var total = 0
                    for slot in slotsOfColumnZero { total &+= Int(buckets[base &+ slot]) }
                    guard total > 0 else { continue }
                    present &+= total
                    let value = Double(Self.code(ofSortKey: smallestKey &+ UInt64(code))) / scale
                    if let zeroSigns, code == zeroCode {
                        runs.appendZeros(signs: zeroSigns.all, to: slots)
                    } else {
                        runs.append(value, count: total, to: slots)
                    }
                    for slot in 0..<slots where buckets[base &+ slot] > 0 {
                        let count = Int(buckets[base &+ slot])
                        segmentPresent[slot] &+= count
                        if let zeroSigns, code == zeroCode {
                            runs.appendZeros(signs: zeroSigns.segments[slot], to: slot)
                        } else {
                            runs.append(value, count: count, to: slot)
                        }
                    }
                }
            }
        }
        var allKinds = [Int](repeating: 0, count: kinds)
        for slot in firstSlot[0]..<firstSlot[1] {
            for kind in 0..<kinds { allKinds[kind] += missing[slot * kinds + kind] }
        }
        allKinds[Int(ValueKind.present.rawValue)] = present
        let segmentKinds = Self.slotKinds(missing: missing, present: segmentPresent, kinds: kinds)
        family.deliver(allKinds: allKinds, all: .runs(runs.runs(slots)), segmentKinds: segmentKinds, segment: { .runs(runs.runs($0)) }, body)
    }

    /// Each segment slot's counts by kind: its cells not present (`missing[slot × kinds + kind]`) and its
    /// `present[slot]` present ones.
    private static func slotKinds(missing: [Int], present: [Int], kinds: Int) -> [[Int]] {
        present.indices.map { slot in
            var counts = Array(missing[slot * kinds..<(slot + 1) * kinds])
            counts[Int(ValueKind.present.rawValue)] = present[slot]
            return counts
        }
    }

    /// The counting pass of ``countEverySlice(codes:scale:smallestKey:distinctCodes:family:rows:kinds:scratch:_:)``:
    /// each present code of `rows` into its bucket of each segment column's slot (`(key − smallestKey) × slots +
    /// slot`), each other cell into `missing[slot × kinds + kind]`; a −0 counted as +0. Returns whether it saw a −0.
    /// Apart, on buffers and scalars, so the loop keeps its state in registers; one segment column (the usual
    /// case) has a loop of its own.
    @inline(never)
    private static func countCodes(
        codes: UnsafeBufferPointer<Int32>, rows: UnsafeBufferPointer<Int32>, numbers: UnsafeBufferPointer<UInt32>,
        smallestKey: UInt64, firstSlot: UnsafeBufferPointer<Int>, buckets: UnsafeMutableBufferPointer<UInt32>,
        missing: UnsafeMutableBufferPointer<Int>, kinds: Int
    ) -> Bool {
        let columns = firstSlot.count - 1
        let slots = firstSlot[columns]
        if columns == 1 {
            return forEachCell(codes: codes, rows: rows, numbers: numbers) { code, slices in
                buckets[Int(sortKey(of: code) &- smallestKey) &* slots &+ Int(slices & 0xFF)] &+= 1
            } missing: { kind, slices in
                missing[Int(slices & 0xFF) &* kinds &+ kind] &+= 1
            }
        }
        return forEachCell(codes: codes, rows: rows, numbers: numbers) { code, slices in
            let base = Int(sortKey(of: code) &- smallestKey) &* slots
            for column in 0..<columns {
                buckets[base &+ firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)] &+= 1
            }
        } missing: { kind, slices in
            countMissing(kind, slices: slices, firstSlot: firstSlot, into: missing, kinds: kinds)
        }
    }

    /// The gathering pass of the shared sort of codes: each present code of `rows` as a key (its sort key in the
    /// upper four bytes, the row's slice numbers in the lower) into `keys`, in row order, counted per segment
    /// slot in `segmentPresent`; each other cell by kind into `allKinds` and `missing[slot × kinds + kind]`; a −0
    /// as +0. Returns the keys written and whether it saw a −0. Apart, on buffers and scalars, so the loop keeps
    /// its state in registers.
    @inline(never)
    private static func gatherKeys(
        codes: UnsafeBufferPointer<Int32>, rows: UnsafeBufferPointer<Int32>, numbers: UnsafeBufferPointer<UInt32>,
        firstSlot: UnsafeBufferPointer<Int>, keys: UnsafeMutableBufferPointer<UInt64>, segmentPresent: UnsafeMutableBufferPointer<Int>,
        allKinds: UnsafeMutableBufferPointer<Int>, missing: UnsafeMutableBufferPointer<Int>, kinds: Int
    ) -> (present: Int, sawNegativeZero: Bool) {
        let columns = firstSlot.count - 1
        var present = 0
        let sawNegativeZero = forEachCell(codes: codes, rows: rows, numbers: numbers) { code, slices in
            keys[present] = sortKey(of: code) << 32 | UInt64(slices)
            present &+= 1
            for column in 0..<columns {
                segmentPresent[firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)] &+= 1
            }
        } missing: { kind, slices in
            allKinds[kind] &+= 1
            countMissing(kind, slices: slices, firstSlot: firstSlot, into: missing, kinds: kinds)
        }
        return (present, sawNegativeZero)
    }

    /// Walks the cells of `rows` in order with each row's slice numbers: `value` with a value's code (a −0 as the
    /// code of +0, its sign put back afterwards), `missing` with a missing cell's kind. Returns whether it saw a
    /// −0. Inlined into each pass, so every loop is compiled with its own body.
    @inline(__always)
    private static func forEachCell(
        codes: UnsafeBufferPointer<Int32>, rows: UnsafeBufferPointer<Int32>, numbers: UnsafeBufferPointer<UInt32>,
        value: (_ code: Int32, _ slices: UInt32) -> Void, missing: (_ kind: Int, _ slices: UInt32) -> Void
    ) -> Bool {
        var sawNegativeZero = false
        for position in 0..<rows.count {
            var code = codes[Int(rows[position])]
            if code == negativeZeroCode {
                sawNegativeZero = true
                code = 0
            }
            if code >= missingCeiling {
                value(code, numbers[position])
            } else {
                missing(Int(code &- Int32.min), numbers[position])
            }
        }
        return sawNegativeZero
    }

    /// Counts a missing cell of kind `kind` in its slot of each segment column: `missing[slot × kinds + kind]`.
    @inline(__always)
    private static func countMissing(
        _ kind: Int, slices: UInt32, firstSlot: UnsafeBufferPointer<Int>, into missing: UnsafeMutableBufferPointer<Int>, kinds: Int
    ) {
        for column in 0..<(firstSlot.count - 1) {
            missing[(firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)) &* kinds &+ kind] &+= 1
        }
    }

    /// The runs of the all-rows slice and of every segment slot from keys sorted by code (code in the upper four
    /// bytes, slice numbers in the lower), each distinct code decoded once.
    @inline(never)
    private static func runs(
        ofSortedKeys sorted: UnsafeBufferPointer<UInt64>, firstSlot: UnsafeBufferPointer<Int>, scale: Double,
        zeroSigns: (all: [FloatingPointSign], segments: [[FloatingPointSign]])?
    ) -> (all: SortedRuns, segments: [SortedRuns]) {
        runs(
            count: sorted.count, firstSlot: firstSlot, zeroGroup: sortKey(of: 0), zeroSigns: zeroSigns, group: { sorted[$0] >> 32 },
            slices: { UInt32(truncatingIfNeeded: sorted[$0]) }, value: { Double(Self.code(ofSortKey: $0)) / scale })
    }

    /// The runs of the all-rows slice and of every segment slot from `count` items in ascending order of `group`
    /// (`slices(i)` the item's slice numbers, a byte a segment column): each distinct group's value (`value`)
    /// taken once and appended with its count, to the all-rows runs and to each slot's that holds it; the zeros
    /// (group `zeroGroup`) with their signs in row order when there are signs to put back
    /// (``SortedRuns/appendZeros(signs:)``). What dealing the items out and reading each slot's values gives.
    @inline(__always)
    static func runs(
        count: Int, firstSlot: UnsafeBufferPointer<Int>, zeroGroup: UInt64, zeroSigns: (all: [FloatingPointSign], segments: [[FloatingPointSign]])?,
        group: (Int) -> UInt64, slices: (Int) -> UInt32, value: (UInt64) -> Double
    ) -> (all: SortedRuns, segments: [SortedRuns]) {
        let columns = firstSlot.count - 1
        let slots = firstSlot[columns]
        // The segment slots' runs, and the all-rows slice's in slot `slots`.
        let runs = SortedRunsCollector(slots: slots + 1)
        var groupCount = [Int](repeating: 0, count: slots)
        var touched = [Int](repeating: 0, count: slots)
        groupCount.withUnsafeMutableBufferPointer { groupCount in
            touched.withUnsafeMutableBufferPointer { touched in
                var start = 0
                while start < count {
                    let current = group(start)
                    var end = start
                    var touchedCount = 0
                    while end < count, group(end) == current {
                        let numbers = slices(end)
                        for column in 0..<columns {
                            let slot = firstSlot[column] &+ Int((numbers >> UInt32(8 &* column)) & 0xFF)
                            if groupCount[slot] == 0 {
                                touched[touchedCount] = slot
                                touchedCount &+= 1
                            }
                            groupCount[slot] &+= 1
                        }
                        end &+= 1
                    }
                    let zeros = current == zeroGroup ? zeroSigns : nil
                    let currentValue = value(current)
                    if let zeros { runs.appendZeros(signs: zeros.all, to: slots) } else { runs.append(currentValue, count: end - start, to: slots) }
                    for index in 0..<touchedCount {
                        let slot = touched[index]
                        if let zeros {
                            runs.appendZeros(signs: zeros.segments[slot], to: slot)
                        } else {
                            runs.append(currentValue, count: groupCount[slot], to: slot)
                        }
                        groupCount[slot] = 0
                    }
                    start = end
                }
            }
        }
        return (runs.runs(slots), (0..<slots).map { runs.runs($0) })
    }

    /// Deals `count` ascending values out to every segment column's slices, stably (each slice's part stays
    /// ascending), into `dealt`, and calls `body` with each segment slice's part, its zeros given the signs of
    /// `zeroSigns[slot]` in row order when there are signs to put back. `number(index, column)` is the slice
    /// number in `column` of the `index`-th value, `value(index)` the value.
    @inline(__always)
    static func dealToSegmentSlices(
        count: Int, family: SliceFamily, firstSlot: [Int], segmentPresent: [Int], segmentKinds: [[Int]],
        zeroSigns: [[FloatingPointSign]]?, into dealt: UnsafeMutableBufferPointer<Double>,
        number: (_ index: Int, _ column: Int) -> Int, value: (_ index: Int) -> Double,
        _ body: (_ slice: Int, _ counts: [Int], _ present: SortedPresentValues) -> Void
    ) {
        for column in family.segments.indices {
            let slots = firstSlot[column]..<firstSlot[column + 1]
            var next = [Int](repeating: 0, count: slots.count)
            var start = 0
            for slot in slots {
                next[slot - slots.lowerBound] = start
                start += segmentPresent[slot]
            }
            next.withUnsafeMutableBufferPointer { next in
                for index in 0..<count {
                    let slice = number(index, column)
                    dealt[next[slice]] = value(index)
                    next[slice] &+= 1
                }
            }
            start = 0
            for slot in slots {
                let part = UnsafeMutableBufferPointer(rebasing: dealt[start..<(start + segmentPresent[slot])])
                if let zeroSigns { restoreZeroSigns(part, zeroSigns[slot]) }
                body(family.segments[column][slot - slots.lowerBound], segmentKinds[slot], .buffer(UnsafeBufferPointer(part)))
                start += segmentPresent[slot]
            }
        }
    }

    /// The signs of the zero cells (`+0` and `−0` codes) of `rows`, in row order: of all of them, and per segment slot.
    private static func zeroSigns(
        codes: [Int32], rows: [Int32], family: SliceFamily, firstSlot: [Int]
    ) -> (all: [FloatingPointSign], segments: [[FloatingPointSign]]) {
        let columns = family.segments.count
        var all: [FloatingPointSign] = []
        var segments = [[FloatingPointSign]](repeating: [], count: firstSlot[columns])
        for (position, row) in rows.enumerated() {
            guard let sign = zeroSign(ofCode: codes[Int(row)]) else { continue }
            all.append(sign)
            let slices = family.sliceNumbers[position]
            for column in 0..<columns { segments[firstSlot[column] + Int((slices >> UInt32(8 * column)) & 0xFF)].append(sign) }
        }
        return (all, segments)
    }
}
