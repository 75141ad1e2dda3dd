import Dispatch

/// Maps two lists of independent tasks as one pool of at most `width` threads, so a thread left idle by one list
/// (say, by a single large task) takes tasks of the other; each list's results keep its order.
func parallelMap<A: Sendable, B: Sendable, RA: Sendable, RB: Sendable>(
    _ first: [A], _ transformFirst: @Sendable (A) -> RA, _ second: [B], _ transformSecond: @Sendable (B) -> RB,
    width: Int
) -> ([RA], [RB]) {
    let firstResults = UnsafeMutableBufferPointer<RA?>.allocate(capacity: first.count)
    let secondResults = UnsafeMutableBufferPointer<RB?>.allocate(capacity: second.count)
    firstResults.initialize(repeating: nil)
    secondResults.initialize(repeating: nil)
    defer {
        _ = firstResults.deinitialize()
        _ = secondResults.deinitialize()
        firstResults.deallocate()
        secondResults.deallocate()
    }
    nonisolated(unsafe) let outputFirst = firstResults, outputSecond = secondResults
    boundedConcurrentPerform(iterations: first.count + second.count, width: width) { index in
        if index < first.count {
            outputFirst[index] = transformFirst(first[index])
        } else {
            outputSecond[index - first.count] = transformSecond(second[index - first.count])
        }
    }
    return (firstResults.map { $0! }, secondResults.map { $0! })
}

/// Calls `body` once for every index in `0..<iterations`, on at most `width` threads at once (the calling thread
/// among them); returns when all calls have. Indices are handed out in increasing order.
func boundedConcurrentPerform(iterations: Int, width: Int, _ body: @Sendable (Int) -> Void) {
    guard iterations > 0 else { return }
    if width <= 1 || iterations == 1 {
        for index in 0..<iterations { body(index) }
        return
    }
    if width >= iterations {
        DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
        return
    }
    let counter = IndexCounter()
    DispatchQueue.concurrentPerform(iterations: width) { _ in
        while let index = counter.next(below: iterations) { body(index) }
    }
}

/// Hands out increasing indices to several threads.
private final class IndexCounter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)

    func next(below limit: Int) -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
