import Dispatch
import InputParsing
import ModelwatchConfiguration

/// Reads one model's score and label sources into a ``ScoreTable`` joined with its labels.
///
/// Join policy (documented in docs/data.md):
/// - scores are keyed by prediction id; a duplicate id within the read range overwrites the earlier row
///   (the last row read wins) and is counted;
/// - a label joins its score by prediction id only (never by time); every label is kept with its
///   observation time, and an evaluation as of T only sees labels observed up to T (later ones are
///   counted as late), so an as-of in the past reproduces what was known then;
/// - for several labels of one id, the one with the latest label time observed by T wins (the last read
///   on a tie); a label whose id matches no score row read is an orphan.
package struct ModelDataReader {
    let model: ModelConfiguration
    /// Prediction times to keep; rows outside are counted, not stored.
    let readRange: TimeRange
    /// Read the label source too (false when building a reference profile).
    var readsLabels = true
    /// Keep at most this many row-error messages for the report.
    var sampleLimit = 20
    /// Parse large plain score files on every core (``ParallelScoreFile``); the result is the same either way.
    var parallelScoreFiles = true
    /// Block size and smallest file for the parallel read (tests use tiny ones to cut files in many places).
    var parallelBlockSize = ParallelScoreFile.blockSize
    var parallelPieceSize = ParallelScoreFile.pieceSize
    var parallelMinimumSize = ParallelScoreFile.minimumSize
    /// Parsing threads for the parallel read (1: sequential), from the run's thread count.
    var parallelWorkers: Int

    /// The longest record read from any file (``RecordReader/maxRecordBytes``; tests use tiny ones).
    var maxRecordBytes = RecordReader.defaultMaxRecordBytes
    /// The clock that times the reading stages (``Result/stageSeconds``); nil: not timed.
    package var clock: (@Sendable () -> ContinuousClock.Instant)?
    /// Checked between chunks and blocks: true when the read must be abandoned (a stop signal's grace period
    /// is nearly over); the read then throws ``FileRecords/abandoned``.
    package var abortRequested: @Sendable () -> Bool = { false }

    /// A reader of the rows `plan` evaluates, for a run of `threads` threads (``ThreadBudget``).
    package init(model: ModelConfiguration, plan: EvaluationPlan, threads: Int) {
        self.model = model
        self.readRange = plan.readRange
        parallelWorkers = ParallelScoreFile.workers(threads: threads)
    }

    /// A reader of the rows in `range`, for a run of `threads` threads (``ThreadBudget``).
    package init(model: ModelConfiguration, range: TimeRange, readsLabels: Bool, threads: Int) {
        self.model = model
        self.readRange = range
        self.readsLabels = readsLabels
        parallelWorkers = ParallelScoreFile.workers(threads: threads)
    }

    package struct Result {
        package var table: ScoreTable
        package var counters: JoinCounters
        package var rowErrorSamples: [String]
        /// Seconds per reading stage: `read_scores` (parse and store the scores), `join_labels` (wait for
        /// the label parse, then join), `index` (sort the time index); empty without a ``clock``.
        package var stageSeconds: [(stage: String, seconds: Double)] = []
    }

    package func read() throws(JobError) -> Result {
        if let spark = model.scores.spark ?? (readsLabels ? model.labels.spark : nil) {
            // Rows are never streamed out of Spark: only `run` (push-down) reads a Spark source.
            throw JobError(.configError, "\(spark.key): a Spark source is evaluated in push-down by `modelwatch run` only; validate, backfill and profile read rows, so point them at an export of the data (profile: --input)")
        }
        var table = ScoreTable(
            segmentColumns: model.segmentColumns.count, numericFeatures: model.storedNumericColumns.count,
            categoricalFeatures: model.storedCategoricalColumns.count)
        table.tracksLabelValues = model.task != .binary
        var counters = JoinCounters()
        var samples: [String] = []
        // Counted apart from `counters`, which the readers hold inout while they call `reject`.
        var rejected = 0
        func reject(_ message: String) {
            rejected += 1
            if samples.count < sampleLimit { samples.append(message) }
        }
        // Label files are parsed on a second core while the scores are read; the join waits for both.
        // A source is files or PostgreSQL, never both (the config enforces it).
        var stageSeconds: [(stage: String, seconds: Double)] = []
        var stageStart = clock?()
        func endStage(_ name: String) {
            guard let clock, let start = stageStart else { return }
            let now = clock()
            let elapsed = start.duration(to: now).components
            stageSeconds.append((name, Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18))
            stageStart = now
        }
        let reader = self
        let parsing = readsLabels && model.labels.postgres == nil ? BackgroundResult("labels") { () throws(JobError) in try reader.parseLabelFiles() } : nil
        rejected += try readScores(into: &table, counters: &counters, reject: reject)
        endStage("read_scores")
        if let parsing {
            let parsed = try parsing.wait()
            counters.labelRowsRead = parsed.rowsRead
            for message in parsed.rejections { reject(message) }
            rejected += parsed.rejectedCount - parsed.rejections.count
            parsed.join(into: &table)
        } else if readsLabels {
            try readPostgresLabels(into: &table, counters: &counters, reject: reject)
        }
        endStage("join_labels")
        table.finishReading()
        endStage("index")
        counters.rowsRejected = rejected
        return Result(table: table, counters: counters, rowErrorSamples: samples, stageSeconds: stageSeconds)
    }

    /// What a source declares about its timestamps: its epoch unit (if any) and its time zone (if any).
    private func unit(_ option: TimestampUnitOption, zone: Int?) -> TimestampUnit {
        let epoch: TimestampUnit.Epoch? = switch option {
        case .auto: .auto
        case .seconds: .seconds
        case .milliseconds: .milliseconds
        case .microseconds: .microseconds
        case .nanoseconds: .nanoseconds
        case .undeclared: nil
        }
        return TimestampUnit(epoch: epoch, zonelessOffsetMinutes: zone)
    }

    // MARK: - Scores

    /// Reads every score source into `table`; returns the rejected rows not passed to `reject` (beyond the
    /// samples a parallel read kept).
    private func readScores(into table: inout ScoreTable, counters: inout JoinCounters, reject: (String) -> Void) throws(JobError) -> Int {
        var uncountedRejections = 0
        let source = model.scores
        let key = "models[\(model.name)].scores"
        let parser = ScoreRowParser(model: model, range: readRange, timeUnit: unit(source.timestampUnit, zone: source.timeZoneOffsetMinutes))
        let columns = parser.columns
        let numericCount = model.storedNumericColumns.count
        let categoricalCount = model.storedCategoricalColumns.count
        let segmentCount = model.segmentColumns.count

        let scoreFiles = try source.path.map({ path throws(JobError) in try SourceFiles.expand(path, key: "\(key).path") }) ?? []
        table.reserveCapacity(SourceFiles.estimatedRows(scoreFiles, columns: columns.count))
        // Parsing stays on this thread; the id join and the column appends run on a second one. The table
        // is moved, not copied, so its columns stay uniquely referenced and append in place.
        var handedOff = ScoreTable(segmentColumns: 0, numericFeatures: 0, categoricalFeatures: 0)
        swap(&handedOff, &table)
        let ingestion = ScoreIngestion(
            table: consume handedOff, segmentColumns: segmentCount, numericFeatures: numericCount, categoricalFeatures: categoricalCount)
        defer { table = ingestion.finish() }

        /// Parses one score row into the current batch (or rejects it).
        func ingestScore(_ record: some SourceRow, location: String) {
            counters.scoreRowsRead += 1
            switch parser.parse(record, into: ingestion.current) {
            case .stored:
                counters.scoreRowsInRange += 1
                if ingestion.current.isFull { ingestion.submit() }
            case .outside:
                break
            case .rejected(let reason):
                reject("\(location):\(record.line): \(reason)")
            }
        }

        if let postgres = source.postgres {
            let probabilityCount = numericCount - model.numericFeatures.count
            let columnKeys = ["id", "time", model.task == .binary ? "score" : "prediction", "version"]
                .prefix(columns.count - segmentCount - numericCount - model.categoricalFeatures.count).map { "\(key).columns.\($0)" }
                + Array(repeating: "models[\(model.name)].segments", count: segmentCount)
                + Array(repeating: "models[\(model.name)].features.numeric", count: model.numericFeatures.count)
                + Array(repeating: "\(key).columns.probabilities", count: probabilityCount)
                + Array(repeating: "models[\(model.name)].features.categorical", count: model.categoricalFeatures.count)
            let reader = try PostgresRecords(postgres, key: key, timestampUnit: source.timestampUnit)
            try reader.stream(columns: columns, columnKeys: columnKeys, timeColumn: 1, startMs: readRange.startMs, endMs: readRange.endMs) { record in
                ingestScore(record, location: reader.location)
            }
        }
        for path in scoreFiles {
            // Large plain files are parsed on every core, block by block; the rest (and whatever a block cut
            // inside a quoted field leaves) row by row here.
            var resume: FileRecords.Resume?
            if let format = source.format ?? SourceFiles.format(of: path), parallelScoreFiles,
               let outcome = try ParallelScoreFile.read(
                   path: path, format: FileRecords.inputFormat(path: path, format: format), key: key, parser: parser,
                   ingestion: ingestion, sampleLimit: sampleLimit, workers: parallelWorkers, blockSize: parallelBlockSize, pieceSize: parallelPieceSize,
                   minimumSize: parallelMinimumSize, maxRecordBytes: maxRecordBytes, shouldAbort: abortRequested) {
                counters.scoreRowsRead += outcome.rowsRead
                counters.scoreRowsInRange += outcome.rowsInRange
                for message in outcome.rejections { reject(message) }
                uncountedRejections += outcome.rejectedCount - outcome.rejections.count
                guard let remainder = outcome.resume else { continue }
                resume = remainder
            }
            try FileRecords.stream(path: path, format: source.format, columns: columns, numberColumns: parser.numberColumns, key: key,
                                   columnKeys: parser.columnKeys(scoresKey: key), resume: resume, maxRecordBytes: maxRecordBytes, shouldAbort: abortRequested, onRecord: { record in
                ingestScore(record, location: path)
            }, onRowError: { error in
                counters.scoreRowsRead += 1
                reject(error.description)
            })
        }
        return uncountedRejections
    }

    // MARK: - Labels

    /// The projected label columns and how one label row is validated, shared by every label source.
    private struct LabelRows {
        let source: LabelSource
        let columns: [String]
        let timeUnit: TimestampUnit
        /// The source's config key (`models[m].labels`), for messages naming a missing declaration.
        let key: String
        let task: ModelTask

        init(_ source: LabelSource, key: String, timeUnit: TimestampUnit, task: ModelTask = .binary) {
            self.source = source
            self.task = task
            self.key = key
            self.timeUnit = timeUnit
            columns = [source.idColumn, source.labelColumn] + (source.timeColumn.map { [$0] } ?? [])
        }

        /// The config key that names each projected column, by column name.
        func columnKeys(labelsKey: String) -> [String: String] {
            var byColumn: [String: String] = [:]
            for (column, key) in zip(columns, ["id", "label", "time"]) where byColumn[column] == nil {
                byColumn[column] = "\(labelsKey).columns.\(key)"
            }
            return byColumn
        }

        /// Validates one row: hands its id bytes, label, value (the label as 0/1, the regression target, or the
        /// code `classCode` gives the true class) and observation time to `accept`, or a message to `reject`.
        func parse(
            _ record: some SourceRow, location: String, reject: (String) -> Void,
            classCode: (UnsafeRawBufferPointer) -> Int = { _ in 0 },
            accept: (UnsafeRawBufferPointer, Bool, Double, Int64) -> Void
        ) {
            guard record.kind(0) == .text else {
                reject("\(location):\(record.line): column \"\(source.idColumn)\": missing prediction id")
                return
            }
            let label: Bool
            let value: Double
            switch task {
            case .binary:
                guard let parsed = record.label(1) else {
                    reject("\(location):\(record.line): column \"\(source.labelColumn)\": \(record.describeValue(1)) is not a label (0/1 or true/false)")
                    return
                }
                label = parsed
                value = parsed ? 1 : 0
            case .regression:
                let cell = record.number(1)
                guard cell.kind == .text, let target = cell.value, target.isFinite else {
                    reject("\(location):\(record.line): column \"\(source.labelColumn)\": \(record.describeValue(1)) is not a finite number (the regression target)")
                    return
                }
                label = true
                value = target
            case .multiclass:
                guard record.kind(1) == .text else {
                    reject("\(location):\(record.line): column \"\(source.labelColumn)\": \(record.describeValue(1)) is not a class")
                    return
                }
                if let reason = record.valueBytes(1, { UTF8Validation.firstInvalidOffset($0) }) {
                    reject("\(location):\(record.line): column \"\(source.labelColumn)\": invalid UTF-8 at byte \(reason + 1) of the value; the input must be UTF-8")
                    return
                }
                label = true
                value = Double(record.valueBytes(1, classCode))
            }
            var labelTime = Int64.min
            if let timeColumn = source.timeColumn {
                guard let time = record.timestamp(2, unit: timeUnit) else {
                    reject("\(location):\(record.line): \(record.timestampRejection(2, name: timeColumn, unit: timeUnit, key: key))")
                    return
                }
                labelTime = time
            }
            record.valueBytes(0) { accept($0, label, value, labelTime) }
        }
    }

    /// Parses the label files into a ``ParsedLabels`` buffer without touching the score table.
    func parseLabelFiles() throws(JobError) -> ParsedLabels {
        let source = model.labels
        let key = "models[\(model.name)].labels"
        let rows = LabelRows(source, key: key, timeUnit: unit(source.timestampUnit, zone: source.timeZoneOffsetMinutes), task: model.task)
        let paths = try source.path.map({ path throws(JobError) in try SourceFiles.expand(path, key: "\(key).path") }) ?? []
        let limit = sampleLimit
        var parsed = ParsedLabels()
        // Room for every label up front: growing these arrays would copy them, and page in each copy.
        let labelBytes = SourceFiles.estimatedBytes(paths)
        let estimatedRows = SourceFiles.estimatedRows(paths, columns: rows.columns.count, bytes: labelBytes)
        parsed.reserveCapacity(labels: estimatedRows, idBytes: Swift.min(labelBytes, 64 * estimatedRows))
        // Reached through a pointer: the closures below capture it, and every access to a captured variable
        // would be checked for exclusivity at run time, several times a label row.
        try withUnsafeMutablePointer(to: &parsed) { parsed throws(JobError) in
            func reject(_ message: String) {
                parsed.pointee.rejectedCount += 1
                if parsed.pointee.rejections.count < limit { parsed.pointee.rejections.append(message) }
            }
            for path in paths {
                try FileRecords.stream(path: path, format: source.format, columns: rows.columns, key: key,
                                       columnKeys: rows.columnKeys(labelsKey: key), maxRecordBytes: maxRecordBytes, shouldAbort: abortRequested, onRecord: { record in
                    parsed.pointee.rowsRead += 1
                    rows.parse(record, location: path, reject: reject, classCode: { parsed.pointee.classCode($0) }) {
                        parsed.pointee.append(idBytes: $0, label: $1, timeMs: $3)
                        if rows.task != .binary { parsed.pointee.values.append($2) }
                    }
                }, onRowError: { error in
                    parsed.pointee.rowsRead += 1
                    reject(error.description)
                })
            }
        }
        return parsed
    }

    /// Streams a PostgreSQL label source and joins it row by row (file labels go through ``parseLabelFiles()``).
    private func readPostgresLabels(into table: inout ScoreTable, counters: inout JoinCounters, reject: (String) -> Void) throws(JobError) {
        let source = model.labels
        let key = "models[\(model.name)].labels"
        let rows = LabelRows(source, key: key, timeUnit: unit(source.timestampUnit, zone: source.timeZoneOffsetMinutes), task: model.task)
        var classes = ParsedLabels()
        defer { if model.task == .multiclass { table.labelClasses = classes.classNames } }
        guard let postgres = source.postgres, let labelTimeColumn = source.timeColumn else { return }
        let reader = try PostgresRecords(postgres, key: key, timestampUnit: source.timestampUnit)
        // Labels are bounded by label time: a label cannot be observed before its prediction, so every
        // label of a prediction in the read range has label_time >= the range's start.
        if let scores = model.scores.postgres {
            let scoreReader = try PostgresRecords(scores, key: "models[\(model.name)].scores", timestampUnit: model.scores.timestampUnit)
            try PostgresRecords.olderScoreIDs(
                scores: scoreReader, scoreID: model.scores.idColumn, scoreTime: model.scores.timeColumn,
                scoreKey: "models[\(model.name)].scores.columns.time", range: readRange,
                labels: reader, labelID: source.idColumn, labelTime: labelTimeColumn, labelKey: "\(key).columns.time",
                labelStart: readRange.startMs, onID: { table.noteIDOutsideRange($0) })
        }
        try reader.stream(
            columns: rows.columns, columnKeys: ["id", "label", "time"].map { "\(key).columns.\($0)" }, timeColumn: 2,
            startMs: readRange.startMs, endMs: nil
        ) { record in
            counters.labelRowsRead += 1
            rows.parse(record, location: reader.location, reject: reject, classCode: { classes.classCode($0) }) { id, label, value, time in
                if rows.task == .binary {
                    table.recordLabel(idBytes: id, label: label, timeMs: time)
                } else {
                    table.recordLabel(idBytes: id, value: value, timeMs: time)
                }
            }
        }
    }
}

/// Label rows parsed but not yet joined: ids in one byte arena, labels and observation times.
struct ParsedLabels: Sendable {
    /// The labels' ids, by label.
    private var ids = ByteArena()
    /// The ids' bytes, one after the other (``idRange(_:)``), in `withUnsafeBytes`.
    var arena: ByteArena { ids }
    var labels: [Bool] = []
    var timesMs: [Int64] = []
    /// Per label, its value (non-binary tasks only; see ``LabelRows/parse``).
    var values: [Double] = []
    /// The true classes of a multiclass model by code, in order of first appearance.
    var classNames: [String] = []
    private var classIndex: [String: Int] = [:]
    var rowsRead = 0
    var rejectedCount = 0
    /// The first rejections, in file order.
    var rejections: [String] = []

    /// Reserves room for `labels` labels whose ids take `idBytes` bytes together (untouched room costs no memory).
    mutating func reserveCapacity(labels count: Int, idBytes: Int) {
        ids.reserveCapacity(bytes: idBytes)
        labels.reserveCapacity(count)
        timesMs.reserveCapacity(count)
    }

    mutating func append(idBytes: UnsafeRawBufferPointer, label: Bool, timeMs: Int64) {
        ids.append(idBytes, expectedCount: labels.capacity)
        labels.append(label)
        timesMs.append(timeMs)
    }

    /// The arena range of label `index`'s id.
    @inline(__always)
    func idRange(_ index: Int) -> Range<Int> { ids.range(of: index) }

    /// The code of a true class, numbered in order of first appearance.
    mutating func classCode(_ bytes: UnsafeRawBufferPointer) -> Int {
        let name = String(decoding: bytes, as: UTF8.self)
        if let code = classIndex[name] { return code }
        classIndex[name] = classNames.count
        classNames.append(name)
        return classNames.count - 1
    }

    /// Joins every label, exactly as reading them one by one in file order would.
    func join(into table: inout ScoreTable) {
        if !classNames.isEmpty { table.labelClasses = classNames }
        table.joinLabels(self)
    }

    /// Calls `body` with the arena range of the id, its hash, the label and its time for every label whose id
    /// falls in `partition` (of `partitions`, by ``partition(of:partitions:)``), in file order.
    /// For a block of labels at a time, `prefetch` is called with each hash, then `prefetchRows`, then `body`: the
    /// first two start loading what `body` will read (see ``ByteKeyIndex/prefetchSlot(_:)``).
    /// The hashes are computed here, a block at a time and only for the partition's own labels, rather than
    /// kept per label (8 bytes a label).
    @inline(__always)
    func forEachLabel(
        in partition: Int, of partitions: Int, prefetch: (UInt64) -> Void = { _ in }, prefetchRows: (UInt64) -> Void = { _ in },
        _ body: (Range<Int>, UInt64, Bool, Int64) -> Void
    ) {
        let block = ScoreTable.prefetchBlock
        arena.withUnsafeBytes { arena in
            withUnsafeTemporaryAllocation(of: (index: Int, hash: UInt64).self, capacity: block) { own in
                var start = 0
                while start < labels.count {
                    let end = Swift.min(start + block, labels.count)
                    var owned = 0
                    for index in start..<end {
                        let id = UnsafeRawBufferPointer(rebasing: arena[idRange(index)])
                        guard partitions == 1 || Self.partition(of: id, partitions: partitions) == partition else { continue }
                        let hash = ByteKeyIndex.hash(id)
                        own[owned] = (index, hash)
                        owned += 1
                        prefetch(hash)
                    }
                    for entry in own[0..<owned] { prefetchRows(entry.hash) }
                    for entry in own[0..<owned] {
                        body(idRange(entry.index), entry.hash, labels[entry.index], timesMs[entry.index])
                    }
                    start = end
                }
            }
        }
    }

    /// Which of `partitions` an id belongs to: a cheap function of its last eight bytes (the same id always
    /// lands in the same partition, so its labels stay in file order).
    @inline(__always)
    static func partition(of id: UnsafeRawBufferPointer, partitions: Int) -> Int {
        var word: UInt64 = 0
        if id.count >= 8 {
            word = id.loadUnaligned(fromByteOffset: id.count - 8, as: UInt64.self)
        } else {
            for byte in id { word = word << 8 | UInt64(byte) }
        }
        return Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 32) % partitions
    }
}

