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
        var allKinds = [Int](repeating: 0, count: 6)
        var allCodes = [Int](repeating: 0, count: values)
        var kinds = [Int](repeating: 0, count: 6 * slots)
        var codes = [Int](repeating: 0, count: values * slots)
        withCountBuffers(&allKinds, &allCodes, &kinds, &codes) { allKinds, allCodes, kinds, codes in
            family.sliceNumbers.withUnsafeBufferPointer { numbers in
                var position = 0
                forEach(rows: rows) { kind, code in
                    let slices = numbers[position]
                    position &+= 1
                    let kindIndex = Int(kind.rawValue)
                    allKinds[kindIndex] &+= 1
                    if kind == .present {
                        allCodes[code] &+= 1
                        for column in 0..<columns {
                            let slot = firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)
                            kinds[slot &* 6 &+ kindIndex] &+= 1
                            codes[slot &* values &+ code] &+= 1
                        }
                    } else {
                        for column in 0..<columns {
                            kinds[(firstSlot[column] &+ Int((slices >> UInt32(8 &* column)) & 0xFF)) &* 6 &+ kindIndex] &+= 1
                        }
                    }
                }
            }
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
}

/// Calls `body` with the storage of four count arrays (the counting loops write through buffer pointers, so
/// the arrays are not checked for uniqueness once per cell).
private func withCountBuffers(
    _ a: inout [Int], _ b: inout [Int], _ c: inout [Int], _ d: inout [Int],
    _ body: (UnsafeMutableBufferPointer<Int>, UnsafeMutableBufferPointer<Int>, UnsafeMutableBufferPointer<Int>, UnsafeMutableBufferPointer<Int>) -> Void
) {
    a.withUnsafeMutableBufferPointer { a in
        b.withUnsafeMutableBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                d.withUnsafeMutableBufferPointer { d in body(a, b, c, d) }
            }
        }
    }
}
