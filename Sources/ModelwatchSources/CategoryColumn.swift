/// One categorical feature's cells: per row, a code into the feature's dictionary of values, or the kind of
/// a missing cell.
///
/// Two bytes a cell while the dictionary holds fewer than 65,528 values (the top codes mark missing cells),
/// four once it grows past that.
public struct CategoryColumn: Sendable {
    @usableFromInline var narrow: [UInt16] = []
    @usableFromInline var wide: [UInt32] = []
    /// True while cells take two bytes.
    public private(set) var isNarrow = true

    /// Narrow codes from here up mark missing cells (`narrowMissing + kind`).
    @usableFromInline static let narrowMissing = UInt16.max - 7
    /// Wide codes from here up mark missing cells (`wideMissing + kind`).
    @usableFromInline static let wideMissing = UInt32.max - 7

    public init() {}

    public var count: Int { isNarrow ? narrow.count : wide.count }

    /// Reserves room for `rows` cells.
    public mutating func reserveCapacity(_ rows: Int) {
        if isNarrow { narrow.reserveCapacity(rows) } else { wide.reserveCapacity(rows) }
    }

    /// The kind of the cell of `row`.
    @inline(__always)
    public func kind(_ row: Int) -> ValueKind { Self.kind(wideCode(row)) }

    /// The dictionary code of the cell of `row`; meaningful only when its kind is present.
    @inline(__always)
    public func code(_ row: Int) -> Int { Int(wideCode(row)) }

    /// Appends a cell: `code` when `kind` is present (the code is ignored otherwise).
    @inline(__always)
    public mutating func append(code: Int, kind: ValueKind) {
        if isNarrow, let cell = Self.narrowCell(code: code, kind: kind) {
            narrow.append(cell)
        } else {
            if isNarrow { widen() }
            wide.append(Self.wideCode(code: code, kind: kind))
        }
    }

    /// Appends `count` cells in order: `codes[i]` where `kinds[i]` is present, else the kind.
    public mutating func append(codes: UnsafePointer<Int>, kinds: UnsafePointer<ValueKind>, count: Int) {
        guard isNarrow else {
            for index in 0..<count { wide.append(Self.wideCode(code: codes[index], kind: kinds[index])) }
            return
        }
        let start = narrow.count
        var written = 0
        narrow.append(contentsOf: repeatElement(0, count: count))
        narrow.withUnsafeMutableBufferPointer { cells in
            while written < count, let cell = Self.narrowCell(code: codes[written], kind: kinds[written]) {
                cells[start + written] = cell
                written += 1
            }
        }
        guard written < count else { return }
        narrow.removeLast(count - written)
        for index in written..<count { append(code: codes[index], kind: kinds[index]) }
    }

    /// Replaces the cell of `row` (a duplicate prediction id's later row).
    public mutating func set(_ row: Int, code: Int, kind: ValueKind) {
        if isNarrow, let cell = Self.narrowCell(code: code, kind: kind) {
            narrow[row] = cell
        } else {
            if isNarrow { widen() }
            wide[row] = Self.wideCode(code: code, kind: kind)
        }
    }

    /// Calls `body` with the kind and code of each of `rows`' cells, in order (the code is meaningful only
    /// for a present cell). Inlinable: specialised for the caller's row collection, with `body` inlined.
    @inlinable
    public func forEach<Rows: Collection>(rows: Rows, _ body: (ValueKind, Int) -> Void) where Rows.Element == Int32 {
        if isNarrow {
            narrow.withUnsafeBufferPointer { cells in
                for row in rows {
                    let cell = cells[Int(row)]
                    cell < Self.narrowMissing ? body(.present, Int(cell)) : body(Self.kind(Self.widened(cell)), 0)
                }
            }
        } else {
            wide.withUnsafeBufferPointer { cells in
                for row in rows {
                    let cell = cells[Int(row)]
                    body(Self.kind(cell), Int(cell))
                }
            }
        }
    }

    /// The stored cells, for loops that read them directly: two-byte cells (a code below ``narrowMissing``, else
    /// `narrowMissing + kind`) or four-byte ones (the same with ``wideMissing``).
    package enum Cells {
        case narrow(UnsafeBufferPointer<UInt16>, missingFrom: UInt16)
        case wide(UnsafeBufferPointer<UInt32>, missingFrom: UInt32)
    }

    /// Calls `body` with the stored cells (valid only during the call).
    package func withCells<R>(_ body: (Cells) -> R) -> R {
        isNarrow
            ? narrow.withUnsafeBufferPointer { body(.narrow($0, missingFrom: Self.narrowMissing)) }
            : wide.withUnsafeBufferPointer { body(.wide($0, missingFrom: Self.wideMissing)) }
    }

    // MARK: - Codes

    @inline(__always)
    private func wideCode(_ row: Int) -> UInt32 { isNarrow ? Self.widened(narrow[row]) : wide[row] }

    @inlinable @inline(__always)
    static func widened(_ cell: UInt16) -> UInt32 {
        cell < narrowMissing ? UInt32(cell) : wideMissing + UInt32(cell - narrowMissing)
    }

    /// The two-byte cell of `code` or a missing `kind`; nil when the code needs four bytes.
    @inline(__always)
    private static func narrowCell(code: Int, kind: ValueKind) -> UInt16? {
        if kind != .present { return narrowMissing + UInt16(kind.rawValue) }
        return code < Int(narrowMissing) ? UInt16(truncatingIfNeeded: code) : nil
    }

    @inline(__always)
    private static func wideCode(code: Int, kind: ValueKind) -> UInt32 {
        kind == .present ? UInt32(code) : wideMissing + UInt32(kind.rawValue)
    }

    @inlinable @inline(__always)
    static func kind(_ cell: UInt32) -> ValueKind {
        cell < wideMissing ? .present : ValueKind(rawValue: UInt8(truncatingIfNeeded: cell - wideMissing)) ?? .invalid
    }

    private mutating func widen() {
        wide.reserveCapacity(Swift.max(narrow.capacity, narrow.count + 1))
        for cell in narrow { wide.append(Self.widened(cell)) }
        narrow = []
        isNarrow = false
    }
}
