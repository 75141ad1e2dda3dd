import Dispatch

/// Stores parsed score rows into a ``ScoreTable`` on a second thread while the caller parses the next ones.
///
/// The caller (the parsing thread) fills ``current`` and calls ``submit()`` when it is full; a consumer thread
/// ingests batches in submission order, so the table is exactly what ingesting row by row in file order
/// gives. Row by row, three batches circulate: the parser waits only when the table falls two batches behind;
/// the parallel block parsers take batches with ``takeBatch()`` and are bounded by their blocks in flight, and
/// handing a batch over waits while ``maximumPending`` batches are waiting for the consumer.
/// Call ``finish()`` exactly once, also when parsing fails, to stop the consumer and get the table back.
final class ScoreIngestion: @unchecked Sendable {
    private static let batches = 3
    /// Batches handed over and not yet stored, at most: ``submit(_:)`` waits beyond. When the table falls behind
    /// the parallel parsers, they wait (their blocks in flight are not released) instead of filling new batches,
    /// each about 2 MB of fresh memory whose pages fault in: the parsing threads took 68,000 page faults at 5M
    /// rows in the benchmark without the bound, 19,000 with it.
    static let maximumPending = 8

    private var table: ScoreTable
    /// The batch the parser fills (parser thread only).
    private(set) var current: ScoreBatch
    private var spare: [ScoreBatch] = []
    /// Batches waiting for the consumer, in order; nil ends the stream.
    private var pending: [ScoreBatch?] = []
    private let lock = DispatchSemaphore(value: 1)
    private let pendingCount = DispatchSemaphore(value: 0)
    private let spareCount = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    /// Room for batches waiting for the consumer (``maximumPending``).
    private let room = DispatchSemaphore(value: maximumPending)

    /// Makes an empty batch of the table's shape.
    private let makeBatch: @Sendable () -> ScoreBatch

    init(table: ScoreTable, segmentColumns: Int, numericFeatures: Int, categoricalFeatures: Int) {
        self.table = table
        makeBatch = {
            ScoreBatch(segmentColumns: segmentColumns, numericFeatures: numericFeatures, categoricalFeatures: categoricalFeatures)
        }
        current = makeBatch()
        for _ in 1..<Self.batches {
            spare.append(makeBatch())
            spareCount.signal()
        }
        ReaderThread.start("store") { [self] in consume() }
    }

    /// Hands the current batch to the consumer and continues with an empty one (waits while none is free).
    func submit() {
        enqueue(current)
        spareCount.wait()
        current = takeBatch()
    }

    /// Submits the current batch if it holds anything, so batches submitted next follow its rows.
    func flushCurrent() {
        if !current.isEmpty { submit() }
    }

    /// An empty batch: a stored one when the consumer has returned one, else a new one. Never waits (the
    /// parallel parsers bound their batches by the blocks they keep in flight).
    func takeBatch() -> ScoreBatch {
        lock.wait()
        let batch = spare.popLast()
        lock.signal()
        return batch ?? makeBatch()
    }

    /// Hands a filled batch to the consumer, after every batch submitted before it (waits while
    /// ``maximumPending`` are waiting).
    func submit(_ batch: ScoreBatch) {
        enqueue(batch)
    }

    /// Submits what is left, waits until every batch is stored and returns the table.
    func finish() -> ScoreTable {
        if !current.isEmpty { enqueue(current) }
        enqueue(nil)
        done.wait()
        return table
    }

    private func enqueue(_ batch: ScoreBatch?) {
        if batch != nil { room.wait() }
        lock.wait()
        pending.append(batch)
        lock.signal()
        pendingCount.signal()
    }

    private func consume() {
        while true {
            pendingCount.wait()
            lock.wait()
            let next = pending.removeFirst()
            lock.signal()
            guard let batch = next else { break }
            room.signal()
            table.ingest(batch)
            batch.reset()
            lock.wait()
            spare.append(batch)
            lock.signal()
            spareCount.signal()
        }
        done.signal()
    }
}
