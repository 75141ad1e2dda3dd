import DriftMetrics
import ModelwatchSources
import OrderedKeys

extension NumericColumn {
    /// The most buckets a counting sort of codes uses (2 MiB of counts).
    static let countingSortLimit = 1 << 18

    /// A code as a sort key: unsigned keys order like the signed codes (the sign bit flipped), and share their
    /// upper four bytes.
    @inline(__always)
    static func sortKey(of code: Int32) -> UInt64 { UInt64(UInt32(bitPattern: code) ^ 0x8000_0000) }

    /// The code a ``sortKey(of:)`` came from.
    @inline(__always)
    static func code(ofSortKey key: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: key) ^ 0x8000_0000) }

    /// Gathers the present values of `rows` in ascending order and counts each cell by kind
    /// (`counts[kind.rawValue]`), sorting the column's 32-bit decimal codes rather than doubles: the codes
    /// order like their values, and their keys share the upper four bytes, which the radix sort skips (half
    /// the passes of a sort of doubles). The values are sorted in `values`; `scratch` is the sort's second buffer.
    ///
    /// When the column's codes span few values (at most ``countingSortLimit``, and not many more than there are
    /// cells: counts, ages, flags, decimals of a few digits), they are counted instead, one bucket per code where
    /// they are read (the span, ``valueCodeBounds``, is known before), and the result is the runs: each distinct
    /// value, decoded once, with its count (`values` is left empty).
    ///
    /// A −0 is sorted as +0 and the zeros' signs are put back in row order afterwards, as a stable sort of doubles
    /// keeps them (counted, as runs of one sign each: ``SortedRuns/appendZeros(signs:)``).
    ///
    /// Returns nil, with `counts` unchanged (and `values` at most emptied), when the column holds doubles.
    func gatherSortedPresentValues<Rows: Collection>(
        rows: Rows, into values: inout [Double], counts: inout [Int], scratch: inout [UInt64]
    ) -> SortedPresentValues? where Rows.Element == Int32 {
        guard let (codes, scale) = scaledCodes else { return nil }
        let n = rows.count
        if let bounds = valueCodeBounds {
            let distinctCodes = Int(bounds.upperBound) - Int(bounds.lowerBound) + 1
            if distinctCodes <= Swift.min(Self.countingSortLimit, 2 * n) {
                values.removeAll(keepingCapacity: true)
                return .runs(Self.countedRuns(
                    codes: codes, scale: scale, rows: rows, lowest: bounds.lowerBound, distinctCodes: distinctCodes, counts: &counts, scratch: &scratch))
            }
        }
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(0, count: n))
        if scratch.count < n { scratch.append(contentsOf: repeatElement(0, count: n - scratch.count)) }
        var kindCounts = [Int](repeating: 0, count: counts.count)
        var present = 0
        var sawNegativeZero = false
        codes.withUnsafeBufferPointer { codes in
            values.withUnsafeMutableBufferPointer { values in
                values.withMemoryRebound(to: UInt64.self) { keys in
                    for row in rows {
                        var code = codes[Int(row)]
                        if code == Self.negativeZeroCode {
                            // Sorted as +0 (the signs of the zeros are put back afterwards).
                            sawNegativeZero = true
                            code = 0
                        }
                        if code >= Self.missingCeiling {
                            keys[present] = Self.sortKey(of: code)
                            present &+= 1
                        } else {
                            kindCounts[Int(code &- Int32.min)] += 1
                        }
                    }
                }
            }
        }
        kindCounts[Int(ValueKind.present.rawValue)] = present
        for kind in counts.indices { counts[kind] += kindCounts[kind] }
        values.withUnsafeMutableBufferPointer { values in
            scratch.withUnsafeMutableBufferPointer { scratch in
                values.withMemoryRebound(to: UInt64.self) { keys in
                    let sortedInScratch = OrderedKeys.sort(
                        UnsafeMutableBufferPointer(rebasing: keys[0..<present]), scratch: UnsafeMutableBufferPointer(rebasing: scratch[0..<present]))
                    for index in 0..<present {
                        let key = sortedInScratch ? scratch[index] : keys[index]
                        values[index] = Double(Self.code(ofSortKey: key)) / scale
                    }
                }
            }
        }
        values.removeLast(n - present)
        // The signs of the zeros in row order (a stable sort of doubles keeps −0 and +0 in row order; the codes
        // sort both as +0), when there is a −0 to put back.
        if sawNegativeZero {
            let signs = codes.withUnsafeBufferPointer { Self.zeroSigns(codes: $0, rows: rows) }
            values.withUnsafeMutableBufferPointer { Self.restoreZeroSigns($0, signs) }
        }
        return .values(values)
    }

    /// The runs of the present values of `rows` (each distinct value, decoded once, with its count), counted in
    /// one pass, one bucket per code of `lowest ..< lowest + distinctCodes` (which holds every value code of the
    /// column: ``valueCodeBounds``), in `scratch`; each cell counted by kind into `counts`.
    private static func countedRuns<Rows: Collection>(
        codes: [Int32], scale: Double, rows: Rows, lowest: Int32, distinctCodes: Int, counts: inout [Int], scratch: inout [UInt64]
    ) -> SortedRuns where Rows.Element == Int32 {
        if scratch.count < distinctCodes { scratch.append(contentsOf: repeatElement(0, count: distinctCodes - scratch.count)) }
        var kindCounts = [Int](repeating: 0, count: counts.count)
        var sawNegativeZero = false
        var runs = SortedRuns()
        codes.withUnsafeBufferPointer { codes in
            scratch.withUnsafeMutableBufferPointer { scratch in
                let buckets = UnsafeMutableBufferPointer(rebasing: scratch[0..<distinctCodes])
                buckets.update(repeating: 0)
                for row in rows {
                    var code = codes[Int(row)]
                    if code == negativeZeroCode {
                        // Counted as +0 (the signs of the zeros are put back below).
                        sawNegativeZero = true
                        code = 0
                    }
                    if code >= missingCeiling {
                        buckets[Int(code) &- Int(lowest)] &+= 1
                    } else {
                        kindCounts[Int(code &- Int32.min)] += 1
                    }
                }
                let zeroSigns = sawNegativeZero ? Self.zeroSigns(codes: codes, rows: rows) : nil
                var present = 0
                for bucket in 0..<distinctCodes where buckets[bucket] > 0 {
                    let code = Int32(Int(lowest) + bucket)
                    present &+= Int(buckets[bucket])
                    if code == 0, let zeroSigns {
                        runs.appendZeros(signs: zeroSigns)
                    } else {
                        runs.append(Double(code) / scale, count: Int(buckets[bucket]))
                    }
                }
                kindCounts[Int(ValueKind.present.rawValue)] = present
            }
        }
        for kind in counts.indices { counts[kind] += kindCounts[kind] }
        return runs
    }

    /// The signs of the zero cells (`+0` and `−0` codes) of `rows`, in row order.
    private static func zeroSigns<Rows: Collection>(codes: UnsafeBufferPointer<Int32>, rows: Rows) -> [FloatingPointSign] where Rows.Element == Int32 {
        rows.compactMap { zeroSign(ofCode: codes[Int($0)]) }
    }
}
