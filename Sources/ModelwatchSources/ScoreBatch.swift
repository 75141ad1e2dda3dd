/// A block of validated score rows, stored column by column, on its way from the parsing thread to the
/// ``ScoreTable`` (see ``ScoreIngestion``).
///
/// Byte values (prediction ids, versions, segment and category values) are copied into one arena with their
/// hash (``ByteKeyIndex/hash(_:)``), so the table's lookups start without touching the parser's buffers again. Numeric cells hold
/// the stored value already: the number when present, else a NaN carrying the ``ValueKind`` (``ScoreTable/numericKind(_:)``). A batch is reused: ``reset()`` empties it.
/// Only one thread touches a batch at a time; ``ScoreIngestion`` hands it over.
final class ScoreBatch: @unchecked Sendable {
    /// Rows per batch.
    static let capacity = 4096
    /// Cells from one column's first cell to the next column's in the column-major arrays: ``capacity`` and a
    /// pad. A row writes one cell of every column; with columns a multiple of 4 KiB apart (4,096 rows) those
    /// cells all fall in one set of the 8-way L1 cache, so a row of 21 numeric cells evicted its own lines
    /// (18% of the row parser's samples sat on that store). The pad, 72 cells, is an odd number of 64-byte
    /// lines for cells of 8 and 24 bytes and more than a line for 1-byte cells, which puts consecutive
    /// columns in different sets.
    static let columnStride = capacity + 72

    /// Where the cell of `row` in `column` is in a column-major array (segments, numeric, digits, categories).
    @inline(__always)
    static func cell(_ column: Int, row: Int) -> Int { column &* columnStride &+ row }

    /// A value's bytes in the arena and their hash.
    struct Span {
        var offset: Int
        var length: Int
        var hash: UInt64
    }

    let segmentColumns: Int
    let numericFeatures: Int
    let categoricalFeatures: Int
    /// Rows filled.
    private(set) var count = 0

    private(set) var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 1 << 16
    private var arenaCount = 0

    let ids: UnsafeMutablePointer<Span>
    let versions: UnsafeMutablePointer<Span>
    let timeMs: UnsafeMutablePointer<Int64>
    /// The stored score: the value when present, else the missing value of its kind.
    let score: UnsafeMutablePointer<Double>
    /// Column-major: column × ``columnStride`` + row.
    let segments: UnsafeMutablePointer<Span>
    let numeric: UnsafeMutablePointer<Double>
    /// Per numeric cell, like ``numeric``: `f` when the value is known to be the double nearest to an integer
    /// divided by `10^f` (``NumericColumn/append(contentsOf:fractionDigits:)``), else ``unknownDigits``.
    let numericDigits: UnsafeMutablePointer<UInt8>
    let categories: UnsafeMutablePointer<Span>
    let categoryKind: UnsafeMutablePointer<ValueKind>
    /// Hashes of ids read outside the range (orphan detection only).
    private(set) var outsideIDHashes: [UInt64] = []
    /// The newest prediction time read before the range (Int64.min: none), for the data-freshness figures.
    private(set) var newestBeforeRangeMs = Int64.min

    init(segmentColumns: Int, numericFeatures: Int, categoricalFeatures: Int) {
        self.segmentColumns = segmentColumns
        self.numericFeatures = numericFeatures
        self.categoricalFeatures = categoricalFeatures
        let rows = Self.capacity
        arena = .allocate(capacity: arenaCapacity)
        ids = .allocate(capacity: rows)
        versions = .allocate(capacity: rows)
        timeMs = .allocate(capacity: rows)
        score = .allocate(capacity: rows)
        segments = .allocate(capacity: max(1, segmentColumns * Self.columnStride))
        numeric = .allocate(capacity: max(1, numericFeatures * Self.columnStride))
        numericDigits = .allocate(capacity: max(1, numericFeatures * Self.columnStride))
        categories = .allocate(capacity: max(1, categoricalFeatures * Self.columnStride))
        categoryKind = .allocate(capacity: max(1, categoricalFeatures * Self.columnStride))
    }

    deinit {
        arena.deallocate()
        ids.deallocate()
        versions.deallocate()
        timeMs.deallocate()
        score.deallocate()
        segments.deallocate()
        numeric.deallocate()
        numericDigits.deallocate()
        categories.deallocate()
        categoryKind.deallocate()
    }

    var isFull: Bool { count == Self.capacity }
    var isEmpty: Bool { count == 0 && outsideIDHashes.isEmpty }

    /// Empties the batch for reuse (keeps its memory).
    func reset() {
        count = 0
        arenaCount = 0
        outsideIDHashes.removeAll(keepingCapacity: true)
        newestBeforeRangeMs = .min
    }

    /// Copies `bytes` into the arena.
    @inline(__always)
    private func store(_ bytes: UnsafeRawBufferPointer) -> Span {
        if arenaCount + bytes.count > arenaCapacity {
            var capacity = arenaCapacity * 2
            while capacity < arenaCount + bytes.count { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = capacity
        }
        let offset = arenaCount
        if let base = bytes.baseAddress, !bytes.isEmpty {
            ShortBytes.copy(base, to: UnsafeMutableRawPointer(arena + offset), count: bytes.count)
        }
        arenaCount += bytes.count
        return Span(offset: offset, length: bytes.count, hash: ByteKeyIndex.hash(bytes))
    }

    /// Starts a row and returns its index in the batch; its cells are then set by the `set` methods (every
    /// cell of the row must be set).
    @inline(__always)
    func appendRow(idBytes: UnsafeRawBufferPointer, versionBytes: UnsafeRawBufferPointer, timeMs: Int64, score: Double, scoreKind: ValueKind) -> Int {
        let row = count
        ids[row] = store(idBytes)
        versions[row] = store(versionBytes)
        self.timeMs[row] = timeMs
        self.score[row] = scoreKind == .present ? score : ScoreTable.missing(scoreKind)
        count += 1
        return row
    }

    /// Sets a segment value (empty bytes stand for a missing value).
    @inline(__always)
    func setSegment(_ column: Int, row: Int, bytes: UnsafeRawBufferPointer) {
        segments[Self.cell(column, row: row)] = store(bytes)
    }

    /// The fraction digits of a cell not known to be a decimal.
    static let unknownDigits = UInt8.max

    /// Sets a numeric cell whose fraction digits are not known: the value when `kind` is present, else the
    /// missing value of that kind.
    @inline(__always)
    func setNumeric(_ feature: Int, row: Int, value: Double, kind: ValueKind) {
        let cell = Self.cell(feature, row: row)
        numeric[cell] = kind == .present ? value : ScoreTable.missing(kind)
        numericDigits[cell] = Self.unknownDigits
    }

    /// Sets a present numeric cell the reader parsed as a decimal with `fractionDigits` fraction digits
    /// (``InputParsing/Record/plainDecimal(_:)``).
    @inline(__always)
    func setDecimal(_ feature: Int, row: Int, value: Double, fractionDigits: Int) {
        let cell = Self.cell(feature, row: row)
        numeric[cell] = value
        numericDigits[cell] = UInt8(truncatingIfNeeded: fractionDigits)
    }

    /// Sets a categorical cell; the bytes are kept only when `kind` is present.
    @inline(__always)
    func setCategory(_ feature: Int, row: Int, bytes: UnsafeRawBufferPointer, kind: ValueKind) {
        let cell = Self.cell(feature, row: row)
        categoryKind[cell] = kind
        categories[cell] = kind == .present ? store(bytes) : Span(offset: 0, length: 0, hash: 0)
    }

    /// Notes the time of a prediction read before the range.
    func noteTimeBeforeRange(_ timeMs: Int64) {
        if timeMs > newestBeforeRangeMs { newestBeforeRangeMs = timeMs }
    }

    /// Records an id read outside the range.
    func noteIDOutsideRange(bytes: UnsafeRawBufferPointer) {
        outsideIDHashes.append(ByteKeyIndex.hash(bytes))
    }
}
