import CPrefetch
import MetricSchema
import Dispatch
import OrderedKeys

/// The prediction rows of one model inside the plan's read range, stored column by column.
///
/// Memory is bounded by the rows of the evaluated windows: rows outside the range are only counted
/// (and their id hashed for orphan detection), never stored. Duplicate prediction ids inside the range
/// follow the documented policy: the last row read wins, and the duplicate is counted.
public struct ScoreTable: Sendable {
    /// Prediction id → row (the row is the id's index).
    private var idIndex = ByteKeyIndex(capacity: 1 << 16)
    public private(set) var timeMs: [Int64] = []
    /// The score per row, stored like a numeric feature (``NumericColumn``: four bytes a row while the scores
    /// allow it): the value in [0, 1], or a NaN carrying the ``ValueKind`` of a missing or unusable score
    /// (``numericKind(_:)``); a row has a usable score exactly when its stored score is not a NaN.
    public private(set) var score = NumericColumn()
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
    /// Per numeric feature: the value per row, four bytes a cell while the column's values allow it
    /// (``NumericColumn``); a missing cell reads as a NaN whose payload is its ``ValueKind`` (see
    /// ``numericKind(_:)``).
    public private(set) var numeric: [NumericColumn]
    /// Per categorical feature: per row, the code into ``categoryValues`` or the kind of a missing cell.
    public private(set) var categories: [CategoryColumn]
    /// Category values by code, per feature (complete after ``finishReading()``).
    public private(set) var categoryValues: [[String]]
    private var categoryIndex: [ByteKeyIndex]
    /// The latest label per row (by label time): -1 none, 0 or 1.
    public private(set) var label: [Int8] = []
    /// Whether labels carry a value (a regression target, a multiclass class code) besides being present:
    /// set before reading for the non-binary tasks, which then keep ``labelValue``.
    public var tracksLabelValues = false
    /// The latest label's value per row when ``tracksLabelValues`` (``label`` is then 1 for a labelled row):
    /// the target, or the code of the true class into ``labelClasses``; empty otherwise.
    public private(set) var labelValue: [Double] = []
    /// Every label value of the rows with more than one label, as ``labelHistory`` (non-binary tasks only).
    public private(set) var labelValueHistory: [Int32: [(timeMs: Int64, value: Double)]] = [:]
    /// The true classes of a multiclass model's labels by code, in order of first appearance.
    public var labelClasses: [String] = []
    /// When that label was observed (Int64.min when the label source has no time column).
    public private(set) var labelTimeMs: [Int64] = []
    /// Every label of the rows that received more than one, in read order, so the label known at any
    /// as-of time can be recovered (backfill and restatement evaluate several as-of times from one read).
    public private(set) var labelHistory: [Int32: [(timeMs: Int64, label: Int8)]] = [:]
    /// Observation times of every label row read, sorted once reading is done (late labels at T = those after T).
    public private(set) var labelObservationTimes: [Int64] = []
    /// The newest prediction time read before the read range (Int64.min: none), for the data-freshness figures.
    public private(set) var newestBeforeReadMs = Int64.min
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
    /// Released by ``finishReading()``.
    public private(set) var allIDHashes = Set<UInt64>()

    /// The stored form of a missing numeric cell of `kind`: a quiet NaN carrying the kind.
    @inline(__always)
    @inlinable
    public static func missing(_ kind: ValueKind) -> Double {
        Double(nan: Double.RawSignificand(kind.rawValue), signaling: false)
    }

    /// The kind of a stored numeric cell: present for a number, else the kind its NaN carries.
    @inline(__always)
    public static func numericKind(_ stored: Double) -> ValueKind {
        guard stored.isNaN else { return .present }
        let code = UInt8(truncatingIfNeeded: stored.significandBitPattern & 0xFF)
        return code == ValueKind.present.rawValue ? .nan : ValueKind(rawValue: code) ?? .nan
    }

    /// Keys whose slots are prefetched ahead of their lookups (``ByteKeyIndex/prefetchSlot(_:)``).
    static let prefetchBlock = 256

    /// The value written for a missing segment value (tag values cannot be empty).
    public static let missingSegmentValue = Tags.missingValue

    public init(segmentColumns: Int, numericFeatures: Int, categoricalFeatures: Int) {
        segmentCodes = Array(repeating: [], count: segmentColumns)
        segmentValues = Array(repeating: [], count: segmentColumns)
        segmentIndex = Array(repeating: ByteKeyIndex(), count: segmentColumns)
        numeric = Array(repeating: NumericColumn(), count: numericFeatures)
        categories = Array(repeating: CategoryColumn(), count: categoricalFeatures)
        categoryValues = Array(repeating: [], count: categoricalFeatures)
        categoryIndex = Array(repeating: ByteKeyIndex(), count: categoricalFeatures)
    }

    public var count: Int { timeMs.count }

    /// Reserves room for `rows` rows in every column, so large reads do not reallocate and copy columns
    /// as they grow (untouched reserved pages cost no resident memory).
    public mutating func reserveCapacity(_ rows: Int) {
        timeMs.reserveCapacity(rows)
        score.reserveCapacity(rows)
        versionCode.reserveCapacity(rows)
        label.reserveCapacity(rows)
        if tracksLabelValues { labelValue.reserveCapacity(rows) }
        labelTimeMs.reserveCapacity(rows)
        for index in segmentCodes.indices { segmentCodes[index].reserveCapacity(rows) }
        for index in numeric.indices {
            numeric[index].reserveCapacity(rows)
        }
        for index in categories.indices {
            categories[index].reserveCapacity(rows)
        }
        // Ids of up to 36 bytes (a UUID's text) without growing the index's arena.
        idIndex.reserveCapacity(rows, keyBytes: 36 * rows)
    }

    /// Records an id seen outside the read range (for orphan detection only).
    public mutating func noteIDOutsideRange(_ id: String) {
        id.withBytes { noteIDOutsideRange(bytes: $0) }
    }

    /// Records an id seen outside the read range (for orphan detection only).
    public mutating func noteIDOutsideRange(bytes: UnsafeRawBufferPointer) {
        allIDHashes.insert(ByteKeyIndex.hash(bytes))
    }

    /// Stores a batch of parsed rows, in batch order: a new id becomes a new row; a duplicate id (of an
    /// earlier batch or of this one) overwrites its row's values (last row wins) and is counted.
    ///
    /// Column values are appended in bulk (one copy per column) when the batch has no duplicate; the
    /// version, segment and category dictionaries see the values in file order, so their codes are the
    /// same as reading row by row.
    mutating func ingest(_ batch: ScoreBatch) {
        for hash in batch.outsideIDHashes { allIDHashes.insert(hash) }
        newestBeforeReadMs = max(newestBeforeReadMs, batch.newestBeforeRangeMs)
        let count = batch.count
        guard count > 0 else { return }
        // The batch's columns as pointers, read once, and the per-row codes in buffers of their own: through
        // arrays, or through `batch` inside the closures below, the loops retained, released or checked the
        // uniqueness of their storage per cell.
        let arena = batch.arena, ids = batch.ids, versions = batch.versions, segments = batch.segments
        let categoryValues = batch.categories, categoryKinds = batch.categoryKind
        @inline(__always) func bytes(_ span: ScoreBatch.Span) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: arena + span.offset, count: span.length)
        }
        let versionCodes = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: count)
        defer { versionCodes.deallocate() }
        // The batch's rows that are new ids, in order (the first `newCount`).
        let newRowStorage = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        defer { newRowStorage.deallocate() }
        var newCount = 0
        var duplicates: [(batchRow: Int, row: Int)] = []
        // Prefetch the id slots of a block before using them, so their cache misses overlap.
        for batchRow in 0..<count {
            if batchRow % Self.prefetchBlock == 0 {
                for ahead in batchRow..<Swift.min(batchRow + Self.prefetchBlock, count) { idIndex.prefetchSlot(ids[ahead].hash) }
            }
            let version = versions[batchRow]
            versionCodes[batchRow] = UInt16(truncatingIfNeeded: versionIndex.findOrInsert(bytes(version), hash: version.hash).index)
            let id = ids[batchRow]
            let (row, inserted) = idIndex.findOrInsert(bytes(id), hash: id.hash)
            if inserted {
                newRowStorage[newCount] = batchRow
                newCount &+= 1
            } else {
                duplicates.append((batchRow, row))
                duplicateScores += 1
                duplicateScoresByRow[Int32(row), default: 0] += 1
            }
        }
        let newRows = UnsafeBufferPointer(rebasing: newRowStorage[..<newCount])
        // Each column's index is taken out of its array for the column's loop (and put back), so the lookups work
        // on a local value instead of going through the array for every cell. These two loops stay in closures
        // over their code arrays: as closures the compiler inlines the lookup into them; written as plain loops
        // over allocated buffers, like the loop above, it did not (105M more instructions at 1M rows).
        var segmentCodes = [UInt32](repeating: 0, count: max(1, self.segmentCodes.count * count))
        segmentCodes.withUnsafeMutableBufferPointer { codes in
            for column in self.segmentCodes.indices {
                var index = ByteKeyIndex.takeOut(&segmentIndex[column])
                for batchRow in 0..<count {
                    let span = segments[ScoreBatch.cell(column, row: batchRow)]
                    // An empty value is stored as the empty key (written `(missing)`), apart from a real `(missing)`.
                    codes[column &* count &+ batchRow] = span.length == 0
                        ? UInt32(index.findOrInsert(UnsafeRawBufferPointer(start: nil, count: 0), hash: ByteKeyIndex.hash(UnsafeRawBufferPointer(start: nil, count: 0))).index)
                        : UInt32(index.findOrInsert(bytes(span), hash: span.hash).index)
                }
                segmentIndex[column] = index
            }
        }
        var categoryCodes = [Int](repeating: 0, count: max(1, categories.count * count))
        categoryCodes.withUnsafeMutableBufferPointer { codes in
            for feature in categories.indices {
                var index = ByteKeyIndex.takeOut(&categoryIndex[feature])
                for batchRow in 0..<count where categoryKinds[ScoreBatch.cell(feature, row: batchRow)] == .present {
                    let span = categoryValues[ScoreBatch.cell(feature, row: batchRow)]
                    codes[feature &* count &+ batchRow] = index.findOrInsert(bytes(span), hash: span.hash).index
                }
                categoryIndex[feature] = index
            }
        }

        let allNew = duplicates.isEmpty
        func append<T>(_ column: inout [T], _ source: UnsafePointer<T>) {
            if allNew {
                column.append(contentsOf: UnsafeBufferPointer(start: source, count: count))
            } else {
                for batchRow in newRows { column.append(source[batchRow]) }
            }
        }
        append(&timeMs, batch.timeMs)
        if allNew {
            score.append(contentsOf: UnsafeBufferPointer(start: batch.score, count: count))
        } else {
            for batchRow in newRows { score.append(batch.score[batchRow]) }
        }
        append(&versionCode, UnsafePointer(versionCodes.baseAddress!))
        label.append(contentsOf: repeatElement(-1, count: newRows.count))
        if tracksLabelValues { labelValue.append(contentsOf: repeatElement(.nan, count: newRows.count)) }
        labelTimeMs.append(contentsOf: repeatElement(Int64.min, count: newRows.count))
        segmentCodes.withUnsafeBufferPointer { codes in
            for column in self.segmentCodes.indices { append(&self.segmentCodes[column], codes.baseAddress! + column * count) }
        }
        for feature in numeric.indices {
            let cells = batch.numeric + ScoreBatch.cell(feature, row: 0)
            if allNew {
                numeric[feature].append(
                    contentsOf: UnsafeBufferPointer(start: cells, count: count),
                    fractionDigits: UnsafeBufferPointer(start: batch.numericDigits + ScoreBatch.cell(feature, row: 0), count: count))
            } else {
                for batchRow in newRows { numeric[feature].append(cells[batchRow]) }
            }
        }
        for feature in categories.indices {
            let kinds = batch.categoryKind + ScoreBatch.cell(feature, row: 0)
            let codes = feature * count
            if allNew {
                categoryCodes.withUnsafeBufferPointer { categoryCodes in
                    categories[feature].append(codes: categoryCodes.baseAddress! + codes, kinds: kinds, count: count)
                }
            } else {
                for batchRow in newRows { categories[feature].append(code: categoryCodes[codes + batchRow], kind: kinds[batchRow]) }
            }
        }

        for (batchRow, row) in duplicates {
            timeMs[row] = batch.timeMs[batchRow]
            score.set(row, batch.score[batchRow])
            versionCode[row] = versionCodes[batchRow]
            for column in self.segmentCodes.indices { self.segmentCodes[column][row] = segmentCodes[column * count + batchRow] }
            for feature in numeric.indices {
                numeric[feature].set(row, batch.numeric[ScoreBatch.cell(feature, row: batchRow)])
            }
            for feature in categories.indices {
                categories[feature].set(row, code: categoryCodes[feature * count + batchRow], kind: batch.categoryKind[ScoreBatch.cell(feature, row: batchRow)])
            }
        }
    }

    /// Records one label row. Labels join by prediction id only; for a row with several labels the one with
    /// the latest label time wins (the last read on a tie), and all are kept for earlier as-of times.
    public mutating func recordLabel(id: String, label value: Bool, timeMs: Int64) {
        id.withBytes { recordLabel(idBytes: $0, label: value, timeMs: timeMs) }
    }

    /// ``recordLabel(id:label:timeMs:)`` on raw UTF-8 bytes.
    public mutating func recordLabel(idBytes: UnsafeRawBufferPointer, label value: Bool, timeMs: Int64) {
        recordLabel(idBytes: idBytes, label: value, timeMs: timeMs, observed: true)
    }

    /// Records one label with its value (a target or a class code) for the non-binary tasks.
    mutating func recordLabel(idBytes: UnsafeRawBufferPointer, value: Double, timeMs: Int64, observed: Bool = true) {
        recordLabel(idBytes: idBytes, label: true, timeMs: timeMs, observed: observed, value: value)
    }

    private mutating func recordLabel(idBytes: UnsafeRawBufferPointer, label value: Bool, timeMs: Int64, observed: Bool, value targetValue: Double? = nil) {
        if observed { labelObservationTimes.append(timeMs) }
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
            if tracksLabelValues {
                if labelValueHistory[row32] == nil { labelValueHistory[row32] = [(labelTimeMs[row], self.labelValue[row])] }
                labelValueHistory[row32]!.append((timeMs, targetValue ?? .nan))
            }
            guard timeMs >= labelTimeMs[row] else { return }
        }
        label[row] = labelValue
        labelTimeMs[row] = timeMs
        if tracksLabelValues { self.labelValue[row] = targetValue ?? .nan }
    }

    /// Joins parsed label rows (see ``recordLabel(idBytes:label:timeMs:)`` for the rules), giving exactly the
    /// result of recording them one by one in file order.
    ///
    /// The rows are split by id hash over two threads: all labels of one id land in the same half and are
    /// applied in file order, and the halves write disjoint rows.
    mutating func joinLabels(_ parsed: ParsedLabels) {
        labelObservationTimes.append(contentsOf: parsed.timesMs)
        let partitions = 2
        var orphans = [[Int64]](repeating: [], count: partitions)
        var histories = [[Int32: [(timeMs: Int64, label: Int8)]]](repeating: [:], count: partitions)
        let index = idIndex
        let outside = allIDHashes
        if tracksLabelValues {
            // Labels with values (regression, multiclass) are joined one by one, in file order.
            parsed.arena.withUnsafeBytes { arena in
                for index in parsed.timesMs.indices {
                    let id = UnsafeRawBufferPointer(rebasing: arena[parsed.idRange(index)])
                    recordLabel(idBytes: id, label: true, timeMs: parsed.timesMs[index], observed: false, value: parsed.values[index])
                }
            }
            return
        }
        guard labelHistory.isEmpty else {
            // Labels were already recorded (not the case for file sources): keep the one-by-one path.
            parsed.arena.withUnsafeBytes { arena in
                parsed.forEachLabel(in: 0, of: 1) { id, _, value, timeMs in
                    recordLabel(idBytes: UnsafeRawBufferPointer(rebasing: arena[id]), label: value, timeMs: timeMs, observed: false)
                }
            }
            return
        }
        label.withUnsafeMutableBufferPointer { labels in
            labelTimeMs.withUnsafeMutableBufferPointer { times in
                orphans.withUnsafeMutableBufferPointer { orphans in
                    histories.withUnsafeMutableBufferPointer { histories in
                        nonisolated(unsafe) let labels = labels, times = times, orphans = orphans, histories = histories
                        DispatchQueue.concurrentPerform(iterations: partitions) { partition in
                            var history: [Int32: [(timeMs: Int64, label: Int8)]] = [:]
                            parsed.arena.withUnsafeBytes { arena in
                                // For each block of labels: their slots are prefetched, then (the slots cached) the
                                // likely rows' keys, labels and label times, then the labels are joined.
                                parsed.forEachLabel(in: partition, of: partitions, prefetch: { index.prefetchSlot($0) }, prefetchRows: { hash in
                                    if let row = index.prefetchKey(hash), row < labels.count {
                                        modelwatch_prefetch(labels.baseAddress! + row)
                                        modelwatch_prefetch(times.baseAddress! + row)
                                    }
                                }) { id, hash, value, timeMs in
                                    guard let row = index.find(UnsafeRawBufferPointer(rebasing: arena[id]), hash: hash) else {
                                        if !outside.contains(hash) { orphans[partition].append(timeMs) }
                                        return
                                    }
                                    let labelValue: Int8 = value ? 1 : 0
                                    if labels[row] >= 0 {
                                        let row32 = Int32(row)
                                        if history[row32] == nil { history[row32] = [(times[row], labels[row])] }
                                        history[row32]!.append((timeMs, labelValue))
                                        guard timeMs >= times[row] else { return }
                                    }
                                    labels[row] = labelValue
                                    times[row] = timeMs
                                }
                            }
                            histories[partition] = history
                        }
                    }
                }
            }
        }
        for partition in 0..<partitions { orphanLabelTimes += orphans[partition] }
        labelHistory = histories.reduce(into: [:]) { merged, part in merged.merge(part) { $1 } }
    }

    /// Sorts the time indexes and releases the id index (ids are only needed to join); call once after
    /// reading, after the labels.
    public mutating func finishReading() {
        idIndex = ByteKeyIndex()
        allIDHashes = []
        versions = versionIndex.keys
        segmentValues = segmentIndex.map { $0.keys.map(SegmentValueTag.written) }
        categoryValues = categoryIndex.map(\.keys)
        // The label-time sorts and the time index are independent: one core each.
        var observationTimes = labelObservationTimes, orphanTimes = orphanLabelTimes
        labelObservationTimes = []
        orphanLabelTimes = []
        var order: [Int32] = []
        let times = timeMs
        withUnsafeMutablePointer(to: &observationTimes) { observation in
            withUnsafeMutablePointer(to: &orphanTimes) { orphans in
                withUnsafeMutablePointer(to: &order) { order in
                    nonisolated(unsafe) let observation = observation, orphans = orphans, order = order
                    DispatchQueue.concurrentPerform(iterations: 2) { part in
                        if part == 0 {
                            OrderedKeys.sort(&observation.pointee)
                            OrderedKeys.sort(&orphans.pointee)
                        } else {
                            // Rows in time order, ties in row order.
                            order.pointee = OrderedKeys.stableOrder(times.map { OrderedKeys.key($0) })
                        }
                    }
                }
            }
        }
        labelObservationTimes = observationTimes
        orphanLabelTimes = orphanTimes
        rowsByTime = order
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

    /// The value of the label of `row` as known at `asOfMs` (``tracksLabelValues`` only): nil when none had
    /// been observed by then.
    public func labelValue(row: Int, asOfMs: Int64) -> Double? {
        if labelTimeMs[row] <= asOfMs { return label[row] >= 0 ? labelValue[row] : nil }
        guard let history = labelValueHistory[Int32(row)] else { return nil }
        var best: (timeMs: Int64, value: Double)?
        for entry in history where entry.timeMs <= asOfMs {
            if best == nil || entry.timeMs >= best!.timeMs { best = entry }
        }
        return best?.value
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

    /// The newest prediction time before `asOfMs` among the rows read (in the read range or before it), or
    /// nil when there is none. After ``finishReading()``.
    public func newestPredictionMs(before asOfMs: Int64) -> Int64? {
        var low = 0, high = rowsByTime.count
        while low < high {
            let mid = (low + high) / 2
            if timeMs[Int(rowsByTime[mid])] < asOfMs { low = mid + 1 } else { high = mid }
        }
        let inRange = low > 0 ? timeMs[Int(rowsByTime[low - 1])] : Int64.min
        let newest = max(inRange, newestBeforeReadMs < asOfMs ? newestBeforeReadMs : .min)
        return newest == .min ? nil : newest
    }

    /// The newest label observation time at or before `asOfMs`, or nil when there is none or the labels have
    /// no time column. After ``finishReading()``.
    public func newestLabelMs(atOrBefore asOfMs: Int64) -> Int64? {
        let index = labelObservationTimes.count - Self.countAbove(labelObservationTimes, asOfMs) - 1
        guard index >= 0, labelObservationTimes[index] != .min else { return nil }
        return labelObservationTimes[index]
    }

    /// Number of values in a sorted array that are > `value`.
    package static func countAbove(_ sorted: [Int64], _ value: Int64) -> Int {
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
