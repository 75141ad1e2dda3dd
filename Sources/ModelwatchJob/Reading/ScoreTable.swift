/// The prediction rows of one model inside the plan's read range, stored column by column.
///
/// Memory is bounded by the rows of the evaluated windows: rows outside the range are only counted
/// (and their id hashed for orphan detection), never stored. Duplicate prediction ids inside the range
/// follow the documented policy: the last row read wins, and the duplicate is counted.
public struct ScoreTable: Sendable {
    /// Prediction id → row (the row is the id's index).
    private var idIndex = ByteKeyIndex(capacity: 1 << 16)
    public private(set) var timeMs: [Int64] = []
    /// Score, NaN when not usable (see ``scoreKind``).
    public private(set) var score: [Double] = []
    public private(set) var scoreKind: [ValueKind] = []
    /// Version code per row into ``versions``.
    public private(set) var versionCode: [UInt16] = []
    /// Version names by code (complete after ``finishReading()``).
    public private(set) var versions: [String] = []
    private var versionIndex = ByteKeyIndex()
    /// Per segment column: code per row into ``segmentValues``.
    public private(set) var segmentCodes: [[UInt32]]
    /// Segment values by code, per column (complete after ``finishReading()``).
    public private(set) var segmentValues: [[String]]
    private var segmentIndex: [ByteKeyIndex]
    /// Per numeric feature: value per row (NaN when missing) and its kind.
    public private(set) var numeric: [[Double]]
    public private(set) var numericKind: [[ValueKind]]
    /// Per categorical feature: code per row into ``categoryValues`` and the kind.
    public private(set) var categoryCodes: [[UInt32]]
    public private(set) var categoryKind: [[ValueKind]]
    /// Category values by code, per feature (complete after ``finishReading()``).
    public private(set) var categoryValues: [[String]]
    private var categoryIndex: [ByteKeyIndex]
    /// The latest label per row (by label time): -1 none, 0 or 1.
    public private(set) var label: [Int8] = []
    /// When that label was observed (Int64.min when the label source has no time column).
    public private(set) var labelTimeMs: [Int64] = []
    /// Every label of the rows that received more than one, in read order, so the label known at any
    /// as-of time can be recovered (backfill and restatement evaluate several as-of times from one read).
    public private(set) var labelHistory: [Int32: [(timeMs: Int64, label: Int8)]] = [:]
    /// Observation times of every label row read, sorted once reading is done (late labels at T = those after T).
    public private(set) var labelObservationTimes: [Int64] = []
    /// Observation times of labels whose id matches no score row read, sorted once reading is done.
    public private(set) var orphanLabelTimes: [Int64] = []
    /// Rows sorted by prediction time (filled by ``finishReading()``).
    public private(set) var rowsByTime: [Int32] = []
    /// Extra rows for an id already stored.
    public private(set) var duplicateScores = 0
    /// Per row with duplicates: how many extra score rows it had.
    public private(set) var duplicateScoresByRow: [Int32: Int] = [:]
    /// 64-bit hashes of the prediction ids read outside the range (ids in range are in the index); together
    /// they tell an orphan label from the label of an older prediction.
    public private(set) var allIDHashes = Set<UInt64>()

    /// The value written for a missing segment value (tag values cannot be empty).
    public static let missingSegmentValue = "(missing)"

    public init(segmentColumns: Int, numericFeatures: Int, categoricalFeatures: Int) {
        segmentCodes = Array(repeating: [], count: segmentColumns)
        segmentValues = Array(repeating: [], count: segmentColumns)
        segmentIndex = Array(repeating: ByteKeyIndex(), count: segmentColumns)
        numeric = Array(repeating: [], count: numericFeatures)
        numericKind = Array(repeating: [], count: numericFeatures)
        categoryCodes = Array(repeating: [], count: categoricalFeatures)
        categoryKind = Array(repeating: [], count: categoricalFeatures)
        categoryValues = Array(repeating: [], count: categoricalFeatures)
        categoryIndex = Array(repeating: ByteKeyIndex(), count: categoricalFeatures)
    }

    public var count: Int { timeMs.count }

    /// Reserves room for `rows` rows in every column, so large reads do not reallocate and copy columns
    /// as they grow (untouched reserved pages cost no resident memory).
    public mutating func reserveCapacity(_ rows: Int) {
        timeMs.reserveCapacity(rows)
        score.reserveCapacity(rows)
        scoreKind.reserveCapacity(rows)
        versionCode.reserveCapacity(rows)
        label.reserveCapacity(rows)
        labelTimeMs.reserveCapacity(rows)
        for index in segmentCodes.indices { segmentCodes[index].reserveCapacity(rows) }
        for index in numeric.indices {
            numeric[index].reserveCapacity(rows)
            numericKind[index].reserveCapacity(rows)
        }
        for index in categoryCodes.indices {
            categoryCodes[index].reserveCapacity(rows)
            categoryKind[index].reserveCapacity(rows)
        }
        idIndex.reserveCapacity(rows)
    }

    /// Records an id seen outside the read range (for orphan detection only).
    public mutating func noteIDOutsideRange(_ id: String) {
        id.withBytes { noteIDOutsideRange(bytes: $0) }
    }

    /// Records an id seen outside the read range (for orphan detection only).
    public mutating func noteIDOutsideRange(bytes: UnsafeRawBufferPointer) {
        allIDHashes.insert(ByteKeyIndex.hash(bytes))
    }

    /// Starts a row for `id` and returns its index: a new row, or the existing row for a duplicate id
    /// (whose values the caller then overwrites: last row wins).
    public mutating func beginRow(id: String, timeMs: Int64, score: Double, scoreKind: ValueKind, version: String) -> Int {
        id.withBytes { idBytes in
            version.withBytes { versionBytes in
                beginRow(idBytes: idBytes, timeMs: timeMs, score: score, scoreKind: scoreKind, versionBytes: versionBytes)
            }
        }
    }

    /// ``beginRow(id:timeMs:score:scoreKind:version:)`` on raw UTF-8 bytes, without creating Strings.
    public mutating func beginRow(idBytes: UnsafeRawBufferPointer, timeMs: Int64, score: Double, scoreKind: ValueKind, versionBytes: UnsafeRawBufferPointer) -> Int {
        let idHash = ByteKeyIndex.hash(idBytes)
        let versionCode = UInt16(truncatingIfNeeded: versionIndex.findOrInsert(versionBytes, hash: ByteKeyIndex.hash(versionBytes)).index)
        let (row, inserted) = idIndex.findOrInsert(idBytes, hash: idHash)
        if !inserted {
            duplicateScores += 1
            duplicateScoresByRow[Int32(row), default: 0] += 1
            self.timeMs[row] = timeMs
            self.score[row] = score
            self.scoreKind[row] = scoreKind
            self.versionCode[row] = versionCode
            return row
        }
        self.timeMs.append(timeMs)
        self.score.append(score)
        self.scoreKind.append(scoreKind)
        self.versionCode.append(versionCode)
        label.append(-1)
        labelTimeMs.append(Int64.min)
        for column in segmentCodes.indices { segmentCodes[column].append(0) }
        for feature in numeric.indices {
            numeric[feature].append(.nan)
            numericKind[feature].append(.null)
        }
        for feature in categoryCodes.indices {
            categoryCodes[feature].append(0)
            categoryKind[feature].append(.null)
        }
        return row
    }

    /// Sets a segment value of a row (nil or empty → ``missingSegmentValue``).
    public mutating func setSegment(_ column: Int, row: Int, value: String?) {
        let text = (value?.isEmpty ?? true) ? Self.missingSegmentValue : value!
        text.withBytes { setSegment(column, row: row, bytes: $0) }
    }

    /// Sets a segment value of a row from raw bytes (empty → ``missingSegmentValue``).
    public mutating func setSegment(_ column: Int, row: Int, bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty {
            Self.missingSegmentValue.withBytes { setSegment(column, row: row, bytes: $0) }
            return
        }
        segmentCodes[column][row] = UInt32(segmentIndex[column].findOrInsert(bytes, hash: ByteKeyIndex.hash(bytes)).index)
    }

    /// Sets a numeric feature value of a row.
    @inline(__always)
    public mutating func setNumeric(_ feature: Int, row: Int, value: Double, kind: ValueKind) {
        numeric[feature][row] = kind == .present ? value : .nan
        numericKind[feature][row] = kind
    }

    /// Sets a categorical feature value of a row (`value` is ignored unless kind is present).
    public mutating func setCategory(_ feature: Int, row: Int, value: String, kind: ValueKind) {
        value.withBytes { setCategory(feature, row: row, bytes: $0, kind: kind) }
    }

    /// Sets a categorical feature value of a row from raw bytes (ignored unless kind is present).
    @inline(__always)
    public mutating func setCategory(_ feature: Int, row: Int, bytes: UnsafeRawBufferPointer, kind: ValueKind) {
        categoryKind[feature][row] = kind
        guard kind == .present else { return }
        categoryCodes[feature][row] = UInt32(categoryIndex[feature].findOrInsert(bytes, hash: ByteKeyIndex.hash(bytes)).index)
    }

    /// Records one label row. Labels join by prediction id only; for a row with several labels the one with
    /// the latest label time wins (the last read on a tie), and all are kept for earlier as-of times.
    public mutating func recordLabel(id: String, label value: Bool, timeMs: Int64) {
        id.withBytes { recordLabel(idBytes: $0, label: value, timeMs: timeMs) }
    }

    /// ``recordLabel(id:label:timeMs:)`` on raw UTF-8 bytes.
    public mutating func recordLabel(idBytes: UnsafeRawBufferPointer, label value: Bool, timeMs: Int64) {
        labelObservationTimes.append(timeMs)
        let labelValue: Int8 = value ? 1 : 0
        let hash = ByteKeyIndex.hash(idBytes)
        guard let row = idIndex.find(idBytes, hash: hash) else {
            if !allIDHashes.contains(hash) { orphanLabelTimes.append(timeMs) }
            return
        }
        let row32 = Int32(row)
        if label[row] >= 0 {
            if labelHistory[row32] == nil { labelHistory[row32] = [(labelTimeMs[row], label[row])] }
            labelHistory[row32]!.append((timeMs, labelValue))
            guard timeMs >= labelTimeMs[row] else { return }
        }
        label[row] = labelValue
        labelTimeMs[row] = timeMs
    }

    /// Sorts the time indexes; call once after reading.
    public mutating func finishReading() {
        versions = versionIndex.keys
        segmentValues = segmentIndex.map(\.keys)
        categoryValues = categoryIndex.map(\.keys)
        labelObservationTimes.sort()
        orphanLabelTimes.sort()
        let times = timeMs
        rowsByTime = (0..<Int32(times.count)).sorted { times[Int($0)] < times[Int($1)] }
    }

    /// The label of `row` as known at `asOfMs`: -1 when none had been observed by then.
    @inline(__always)
    public func label(row: Int, asOfMs: Int64) -> Int8 {
        if labelTimeMs[row] <= asOfMs { return label[row] }
        guard let history = labelHistory[Int32(row)] else { return -1 }
        var best: (timeMs: Int64, label: Int8)?
        for entry in history where entry.timeMs <= asOfMs {
            if best == nil || entry.timeMs >= best!.timeMs { best = entry }
        }
        return best?.label ?? -1
    }

    /// Labels observed for `row` by `asOfMs` (more than one means duplicates).
    public func labelCount(row: Int, asOfMs: Int64) -> Int {
        if let history = labelHistory[Int32(row)] { return history.reduce(0) { $0 + ($1.timeMs <= asOfMs ? 1 : 0) } }
        return label[row] >= 0 && labelTimeMs[row] <= asOfMs ? 1 : 0
    }

    /// The rows with prediction time in `range`, in time order (binary search on ``rowsByTime``).
    public func rows(in range: TimeRange) -> ArraySlice<Int32> {
        func lowerBound(_ value: Int64) -> Int {
            var low = 0, high = rowsByTime.count
            while low < high {
                let mid = (low + high) / 2
                if timeMs[Int(rowsByTime[mid])] < value { low = mid + 1 } else { high = mid }
            }
            return low
        }
        return rowsByTime[lowerBound(range.startMs)..<lowerBound(range.endMs)]
    }

    /// Number of values in a sorted array that are > `value`.
    static func countAbove(_ sorted: [Int64], _ value: Int64) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return sorted.count - low
    }

    /// Labels observed after `asOfMs` (ignored at that as-of time).
    public func lateLabels(asOfMs: Int64) -> Int { Self.countAbove(labelObservationTimes, asOfMs) }

    /// Orphan labels observed by `asOfMs`.
    public func orphanLabels(asOfMs: Int64) -> Int { orphanLabelTimes.count - Self.countAbove(orphanLabelTimes, asOfMs) }

}
