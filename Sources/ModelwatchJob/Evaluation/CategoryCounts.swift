import ModelwatchSources

/// A slice's cells of one categorical column counted: by kind (``ValueKind`` raw values) and, for the present
/// ones, by value code.
struct CategoryCounts {
    var kinds: [Int]
    var codes: [Int]
}

extension CategoryColumn {
    /// The cells of `rows` counted by kind and by code (`values` codes).
    func counts(rows: [Int32], values: Int) -> CategoryCounts {
        var kinds = [Int](repeating: 0, count: 6)
        var codes = [Int](repeating: 0, count: values)
        kinds.withUnsafeMutableBufferPointer { kinds in
            codes.withUnsafeMutableBufferPointer { codes in
                forEach(rows: rows) { kind, code in
                    kinds[Int(kind.rawValue)] &+= 1
                    if kind == .present { codes[code] &+= 1 }
                }
            }
        }
        return CategoryCounts(kinds: kinds, codes: codes)
    }

    /// The ``counts(rows:values:)`` of every slice of `family`, from one pass over the all-rows slice's `rows`:
    /// per slice, its index in the window's slice list and its counts, the all-rows slice first, then the segment
    /// slices column by column. Integer counts, so they are those of each slice's own pass. Nil when the family
    /// has no segment column or its per-slice code counts would take far more room than the rows (a column of
    /// very many values split many ways; the caller then counts slice by slice).
    func sliceCounts(family: SliceFamily, rows: [Int32], values: Int) -> [(slice: Int, counts: CategoryCounts)]? {
        let columns = family.segments.count
        guard columns > 0, rows.count == family.sliceNumbers.count else { return nil }
        let firstSlot = family.firstSlots
        let slots = firstSlot[columns]
        guard slots * values <= 4 * rows.count + (1 << 16) else { return nil }
        // Each cell is counted once per segment column, in its slice's counts: a present cell by its code (the
        // slice's present count is the sum of its codes' counts), any other by its kind. The all-rows slice's
        // counts are then the sums over column 0's slices, which partition it.
        var kinds = [Int](repeating: 0, count: 6 * slots)
        var codes = [Int](repeating: 0, count: values * slots)
        kinds.withUnsafeMutableBufferPointer { kinds in
            codes.withUnsafeMutableBufferPointer { codes in
                rows.withUnsafeBufferPointer { rows in
                    family.sliceNumbers.withUnsafeBufferPointer { numbers in
                        firstSlot.withUnsafeBufferPointer { firstSlot in
                            withCells { cells in
                                switch cells {
                                case .narrow(let cells, let missingFrom):
                                    Self.countSlices(cells: cells, missingFrom: missingFrom, rows: rows, numbers: numbers, firstSlot: firstSlot, values: values, codes: codes, kinds: kinds)
                                case .wide(let cells, let missingFrom):
                                    Self.countSlices(cells: cells, missingFrom: missingFrom, rows: rows, numbers: numbers, firstSlot: firstSlot, values: values, codes: codes, kinds: kinds)
                                }
                            }
                        }
                    }
                }
            }
        }
        let presentKind = Int(ValueKind.present.rawValue)
        for slot in 0..<slots { kinds[slot * 6 + presentKind] = codes[slot * values..<(slot + 1) * values].reduce(0, +) }
        var allKinds = [Int](repeating: 0, count: 6)
        var allCodes = [Int](repeating: 0, count: values)
        for slot in firstSlot[0]..<firstSlot[1] {
            for kind in 0..<6 { allKinds[kind] += kinds[slot * 6 + kind] }
            for code in 0..<values { allCodes[code] += codes[slot * values + code] }
        }
        var result = [(slice: family.all, counts: CategoryCounts(kinds: allKinds, codes: allCodes))]
        for column in 0..<columns {
            for slot in firstSlot[column]..<firstSlot[column + 1] {
                result.append((family.segments[column][slot - firstSlot[column]], CategoryCounts(
                    kinds: Array(kinds[slot * 6..<(slot + 1) * 6]), codes: Array(codes[slot * values..<(slot + 1) * values]))))
            }
        }
        return result
    }

    /// The counting pass of ``sliceCounts(family:rows:values:)``: each cell of `rows` once per segment column, a
    /// present one into `codes[slot × values + code]`, any other into `kinds[slot × 6 + kind]`. Apart, on buffers
    /// and scalars, so the loop keeps its state in registers.
    @inline(never)
    private static func countSlices<Cell: FixedWidthInteger>(
        cells: UnsafeBufferPointer<Cell>, missingFrom: Cell, rows: UnsafeBufferPointer<Int32>, numbers: UnsafeBufferPointer<UInt32>,
        firstSlot: UnsafeBufferPointer<Int>, values: Int, codes: UnsafeMutableBufferPointer<Int>, kinds: UnsafeMutableBufferPointer<Int>
    ) {
        let columns = firstSlot.count - 1
        let invalid = Int(ValueKind.invalid.rawValue)
        for position in 0..<rows.count {
            let cell = cells[Int(rows[position])]
            let slices = numbers[position]
            if cell < missingFrom {
                let code = Int(cell)
                for column in 0..<columns {
                    codes[(firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)) &* values &+ code] &+= 1
                }
            } else {
                // A missing cell's kind (`missingFrom + kind`; any other reserved code reads as invalid).
                let kind = Swift.min(Int(cell &- missingFrom), invalid)
                for column in 0..<columns {
                    kinds[(firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)) &* 6 &+ kind] &+= 1
                }
            }
        }
    }
}
