import Dispatch

/// Stores parsed score rows into a ``ScoreTable`` on a second thread while the caller parses the next ones.
///
/// The caller (the parsing thread) fills ``current`` and calls ``submit()`` when it is full; a consumer thread
/// ingests batches in submission order, so the table is exactly what ingesting row by row in file order
/// gives. Three batches circulate: the parser waits only when the table falls two batches behind.
/// Call ``finish()`` exactly once, also when parsing fails, to stop the consumer and get the table back.
final class ScoreIngestion: @unchecked Sendable {
    private static let batches = 3

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

    init(table: ScoreTable, segmentColumns: Int, numericFeatures: Int, categoricalFeatures: Int) {
        self.table = table
        func make() -> ScoreBatch {
            ScoreBatch(segmentColumns: segmentColumns, numericFeatures: numericFeatures, categoricalFeatures: categoricalFeatures)
        }
        current = make()
        for _ in 1..<Self.batches {
            spare.append(make())
            spareCount.signal()
        }
        DispatchQueue.global().async { [self] in consume() }
    }

    /// Hands the current batch to the consumer and continues with an empty one (waits while none is free).
    func submit() {
        enqueue(current)
        spareCount.wait()
        lock.wait()
        current = spare.removeLast()
        lock.signal()
    }

    /// Submits what is left, waits until every batch is stored and returns the table.
    func finish() -> ScoreTable {
        if !current.isEmpty { enqueue(current) }
        enqueue(nil)
        done.wait()
        return table
    }

    private func enqueue(_ batch: ScoreBatch?) {
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
