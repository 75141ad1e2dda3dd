/// The prediction rows of one model inside the plan's read range, stored column by column.
///
/// Memory is bounded by the rows of the evaluated windows: rows outside the range are only counted
/// (and their id hashed for orphan detection), never stored. Duplicate prediction ids inside the range
/// follow the documented policy: the last row read wins, and the duplicate is counted.
public struct ScoreTable: Sendable {
    /// Prediction id → row.
    public private(set) var rowOfID: [String: Int32] = [:]
    public private(set) var ids: [String] = []
    public private(set) var timeMs: [Int64] = []
    /// Score, NaN when not usable (see ``scoreKind``).
    public private(set) var score: [Double] = []
    public private(set) var scoreKind: [ValueKind] = []
    /// Version code per row into ``versions``.
    public private(set) var versionCode: [UInt16] = []
    public private(set) var versions: [String] = []
    private var versionIndex: [String: UInt16] = [:]
    /// Per segment column: code per row into ``segmentValues``.
    public private(set) var segmentCodes: [[UInt32]]
    public private(set) var segmentValues: [[String]]
    private var segmentIndex: [[String: UInt32]]
    /// Per numeric feature: value per row (NaN when missing) and its kind.
    public private(set) var numeric: [[Double]]
    public private(set) var numericKind: [[ValueKind]]
    /// Per categorical feature: code per row into ``categoryValues`` and the kind.
    public private(set) var categoryCodes: [[UInt32]]
    public private(set) var categoryKind: [[ValueKind]]
    public private(set) var categoryValues: [[String]]
    private var categoryIndex: [[String: UInt32]]
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
    /// 64-bit hashes of every prediction id read, in range or not (for orphan-label detection).
    public private(set) var allIDHashes = Set<UInt64>()

    /// The value written for a missing segment value (tag values cannot be empty).
    public static let missingSegmentValue = "(missing)"

    public init(segmentColumns: Int, numericFeatures: Int, categoricalFeatures: Int) {
        segmentCodes = Array(repeating: [], count: segmentColumns)
        segmentValues = Array(repeating: [], count: segmentColumns)
        segmentIndex = Array(repeating: [:], count: segmentColumns)
        numeric = Array(repeating: [], count: numericFeatures)
        numericKind = Array(repeating: [], count: numericFeatures)
        categoryCodes = Array(repeating: [], count: categoricalFeatures)
        categoryKind = Array(repeating: [], count: categoricalFeatures)
        categoryValues = Array(repeating: [], count: categoricalFeatures)
        categoryIndex = Array(repeating: [:], count: categoricalFeatures)
    }

    public var count: Int { ids.count }

    /// Records an id seen outside the read range (for orphan detection only).
    public mutating func noteIDOutsideRange(_ id: String) {
        allIDHashes.insert(Self.hash(id))
    }

    /// Starts a row for `id` and returns its index: a new row, or the existing row for a duplicate id
    /// (whose values the caller then overwrites: last row wins).
    public mutating func beginRow(id: String, timeMs: Int64, score: Double, scoreKind: ValueKind, version: String) -> Int {
        allIDHashes.insert(Self.hash(id))
        let versionCode: UInt16
        if let code = versionIndex[version] {
            versionCode = code
        } else {
            versionCode = UInt16(truncatingIfNeeded: versions.count)
            versionIndex[version] = versionCode
            versions.append(version)
        }
        if let existing = rowOfID[id] {
            duplicateScores += 1
            duplicateScoresByRow[existing, default: 0] += 1
            let row = Int(existing)
            self.timeMs[row] = timeMs
            self.score[row] = score
            self.scoreKind[row] = scoreKind
            self.versionCode[row] = versionCode
            return row
        }
        let row = ids.count
        rowOfID[id] = Int32(row)
        ids.append(id)
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
        let code: UInt32
        if let existing = segmentIndex[column][text] {
            code = existing
        } else {
            code = UInt32(segmentValues[column].count)
            segmentIndex[column][text] = code
            segmentValues[column].append(text)
        }
        segmentCodes[column][row] = code
    }

    /// Sets a numeric feature value of a row.
    public mutating func setNumeric(_ feature: Int, row: Int, value: Double, kind: ValueKind) {
        numeric[feature][row] = kind == .present ? value : .nan
        numericKind[feature][row] = kind
    }

    /// Sets a categorical feature value of a row (`value` is ignored unless kind is present).
    public mutating func setCategory(_ feature: Int, row: Int, value: String, kind: ValueKind) {
        categoryKind[feature][row] = kind
        guard kind == .present else { return }
        let code: UInt32
        if let existing = categoryIndex[feature][value] {
            code = existing
        } else {
            code = UInt32(categoryValues[feature].count)
            categoryIndex[feature][value] = code
            categoryValues[feature].append(value)
        }
        categoryCodes[feature][row] = code
    }

    /// Records one label row. Labels join by prediction id only; for a row with several labels the one with
    /// the latest label time wins (the last read on a tie), and all are kept for earlier as-of times.
    public mutating func recordLabel(id: String, label value: Bool, timeMs: Int64) {
        labelObservationTimes.append(timeMs)
        let labelValue: Int8 = value ? 1 : 0
        guard let row32 = rowOfID[id] else {
            if !allIDHashes.contains(Self.hash(id)) { orphanLabelTimes.append(timeMs) }
            return
        }
        let row = Int(row32)
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
        labelObservationTimes.sort()
        orphanLabelTimes.sort()
        let times = timeMs
        rowsByTime = (0..<Int32(ids.count)).sorted { times[Int($0)] < times[Int($1)] }
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

    /// Stable 64-bit hash (FNV-1a) of an id; collisions among 10⁸ ids have probability ≈ 3·10⁻⁴.
    public static func hash(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
