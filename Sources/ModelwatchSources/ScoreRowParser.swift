import InputParsing
import ModelwatchConfiguration

/// Validates one score row and appends it to a ``ScoreBatch``: the per-row half of reading scores, shared by
/// the sequential reader and the parallel block parsers (``ParallelScoreFile``). Holds no mutable state, so
/// one instance serves any number of threads. A class: as a struct (600 bytes of configuration) it was copied
/// for every row its block parser's loop handed it (a `memcpy` per row, 96M instructions per million rows).
final class ScoreRowParser: Sendable {
    /// What became of a row.
    enum Outcome {
        /// Stored in the batch (in the read range).
        case stored
        /// Outside the read range: only its id hash was noted.
        case outside
        /// Rejected; the reason, without the `path:line: ` prefix.
        case rejected(String)
    }

    /// The projected columns, in the order the parser indexes them.
    let columns: [String]
    /// The projected columns read as numbers (the score and the numeric features), for
    /// ``RecordReader/init(format:columns:source:startLine:numberColumns:)``.
    var numberColumns: [Int] { (task == .multiclass ? [] : [2]) + Array(numericStart..<(numericStart + numericCount)) }
    private let source: ScoreSource
    private let range: TimeRange
    private let timeUnit: TimestampUnit
    private let versionIndex: Int?
    private let segmentStart: Int, segmentCount: Int
    private let numericStart: Int, numericCount: Int
    private let categoricalStart: Int, categoricalCount: Int
    private let staticVersion: String
    private let modelName: String
    private let task: ModelTask
    /// The multiclass probability columns, stored after the numeric features.
    private let probabilityCount: Int
    /// The categorical features configured (the predicted class of a multiclass model is stored after them).
    private let categoricalFeatureCount: Int

    init(model: ModelConfiguration, range: TimeRange, timeUnit: TimestampUnit) {
        source = model.scores
        self.range = range
        self.timeUnit = timeUnit
        var columns = [source.idColumn, source.timeColumn, source.scoreColumn]
        versionIndex = source.versionColumn.map { _ in columns.count }
        if let versionColumn = source.versionColumn { columns.append(versionColumn) }
        segmentStart = columns.count
        segmentCount = model.segmentColumns.count
        columns += model.segmentColumns
        numericStart = columns.count
        numericCount = model.storedNumericColumns.count
        columns += model.storedNumericColumns
        categoricalStart = columns.count
        categoricalCount = model.categoricalFeatures.count
        columns += model.categoricalFeatures
        task = model.task
        probabilityCount = model.storedNumericColumns.count - model.numericFeatures.count
        categoricalFeatureCount = model.categoricalFeatures.count
        self.columns = columns
        staticVersion = model.staticVersion
        modelName = model.name
    }

    /// The config key that names each projected column, by column name (the first key when a column is
    /// named twice): `scoresKey.columns.id`, …, `models[m].segments`, `models[m].features.numeric`, ….
    func columnKeys(scoresKey: String) -> [String: String] {
        let modelKey = scoresKey.hasSuffix(".scores") ? String(scoresKey.dropLast(".scores".count)) : scoresKey
        var keys = ["id", "time", task == .binary ? "score" : "prediction"].map { "\(scoresKey).columns.\($0)" }
        if versionIndex != nil { keys.append("\(scoresKey).columns.version") }
        keys += Array(repeating: "\(modelKey).segments", count: segmentCount)
        keys += Array(repeating: "\(modelKey).features.numeric", count: numericCount - probabilityCount)
        keys += Array(repeating: "\(scoresKey).columns.probabilities", count: probabilityCount)
        keys += Array(repeating: "\(modelKey).features.categorical", count: categoricalCount)
        var byColumn: [String: String] = [:]
        for (column, key) in zip(columns, keys) where byColumn[column] == nil { byColumn[column] = key }
        return byColumn
    }

    /// Parses `record` into `batch` (which must not be full).
    @inline(__always)
    func parse(_ record: some SourceRow, into batch: ScoreBatch) -> Outcome {
        guard record.kind(0) == .text else {
            return .rejected("column \"\(source.idColumn)\": missing prediction id")
        }
        guard let time = record.timestamp(1, unit: timeUnit) else {
            return .rejected(record.timestampRejection(1, name: source.timeColumn, unit: timeUnit, key: "models[\(modelName)].scores"))
        }
        guard range.contains(time) else {
            record.valueBytes(0) { batch.noteIDOutsideRange(bytes: $0) }
            if time < range.startMs { batch.noteTimeBeforeRange(time) }
            return .outside
        }
        var score = Double.nan
        var scoreKind = ValueKind.null
        if task == .multiclass {
            // The predicted class is kept as text (a category); the score column only marks it present.
            switch record.kind(2) {
            case .null: scoreKind = .null
            case .empty: scoreKind = .empty
            case .text:
                score = 0
                scoreKind = .present
            }
        } else {
        let scoreCell = record.number(2)
        switch scoreCell.kind {
        case .null: scoreKind = .null
        case .empty: scoreKind = .empty
        case .text:
            guard let value = scoreCell.value else {
                return .rejected("column \"\(source.scoreColumn)\": \(record.describeValue(2)) is not a number")
            }
            if value.isNaN {
                scoreKind = .nan
            } else if value.isInfinite {
                scoreKind = .infinite
            } else if task == .binary && (value < 0 || value > 1) {
                return .rejected("column \"\(source.scoreColumn)\": score \(value) is outside [0, 1]")
            } else {
                score = value
                scoreKind = .present
            }
        }
        }
        if let reason = invalidText(record) { return .rejected(reason) }
        let row = record.valueBytes(0) { idBytes in
            if let versionIndex, record.kind(versionIndex) == .text {
                return record.valueBytes(versionIndex) { versionBytes in
                    batch.appendRow(idBytes: idBytes, versionBytes: versionBytes, timeMs: time, score: score, scoreKind: scoreKind)
                }
            }
            return staticVersion.withBytes { versionBytes in
                batch.appendRow(idBytes: idBytes, versionBytes: versionBytes, timeMs: time, score: score, scoreKind: scoreKind)
            }
        }
        for segment in 0..<segmentCount {
            record.valueBytes(segmentStart + segment) { batch.setSegment(segment, row: row, bytes: $0) }
        }
        for feature in 0..<numericCount {
            // Most cells: a decimal the reader parsed (finite, its fraction digits known), in one lookup.
            if let decimal = record.plainDecimal(numericStart &+ feature) {
                batch.setDecimal(feature, row: row, value: decimal.value, fractionDigits: decimal.fractionDigits)
                continue
            }
            let cell = record.number(numericStart + feature)
            switch cell.kind {
            case .null: batch.setNumeric(feature, row: row, value: .nan, kind: .null)
            case .empty: batch.setNumeric(feature, row: row, value: .nan, kind: .empty)
            case .text:
                if let value = cell.value {
                    let kind: ValueKind = value.isNaN ? .nan : value.isInfinite ? .infinite : .present
                    batch.setNumeric(feature, row: row, value: value, kind: kind)
                } else {
                    batch.setNumeric(feature, row: row, value: .nan, kind: .invalid)
                }
            }
        }
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        for feature in 0..<categoricalCount {
            let column = categoricalStart + feature
            switch record.kind(column) {
            case .null: batch.setCategory(feature, row: row, bytes: none, kind: .null)
            case .empty: batch.setCategory(feature, row: row, bytes: none, kind: .empty)
            case .text: record.valueBytes(column) { batch.setCategory(feature, row: row, bytes: $0, kind: .present) }
            }
        }
        if task == .multiclass {
            let predicted = categoricalFeatureCount
            switch record.kind(2) {
            case .null: batch.setCategory(predicted, row: row, bytes: none, kind: .null)
            case .empty: batch.setCategory(predicted, row: row, bytes: none, kind: .empty)
            case .text: record.valueBytes(2) { batch.setCategory(predicted, row: row, bytes: $0, kind: .present) }
            }
        }
        return .stored
    }

    /// Why the row's text values (version, segments, categories: the values kept as text) are not UTF-8, if
    /// they are not: such a row is rejected, never stored with U+FFFD in place of the bad bytes.
    @inline(__always)
    private func invalidText(_ record: some SourceRow) -> String? {
        if record.isKnownASCII { return nil }
        func check(_ column: Int) -> String? {
            record.valueBytes(column) { bytes in
                UTF8Validation.firstInvalidOffset(bytes).map { offset in
                    let byte = String(bytes[offset], radix: 16, uppercase: true)
                    // Where the bad byte is on the row's line, when the value's bytes are the file's and on that line.
                    let place = record.position(of: column).flatMap { position in
                        position.line == record.line ? " (byte column \(position.column + offset))" : nil
                    } ?? ""
                    return "column \"\(columns[column])\"\(place): invalid UTF-8 at byte \(offset + 1) of the value (0x\(byte.count == 1 ? "0" : "")\(byte)); the input must be UTF-8"
                }
            }
        }
        if let versionIndex, let reason = check(versionIndex) { return reason }
        if task == .multiclass, let reason = check(2) { return reason }
        for column in segmentStart..<(segmentStart + segmentCount) {
            if let reason = check(column) { return reason }
        }
        for column in categoricalStart..<(categoricalStart + categoricalCount) {
            if let reason = check(column) { return reason }
        }
        return nil
    }
}
