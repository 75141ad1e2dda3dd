import Dispatch

extension Array where Element: Sendable {
    /// Maps on all cores, keeping the order of the results (so output stays deterministic).
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let output = results
        let input = self
        DispatchQueue.concurrentPerform(iterations: count) { index in
            output[index] = transform(input[index])
        }
        return results.map { $0! }
    }
}

/// Maps two lists of independent tasks as one pool on all cores, so a core left idle by one list (say, a single
/// large task) takes tasks of the other; each list's results keep its order.
func parallelMap<A: Sendable, B: Sendable, RA: Sendable, RB: Sendable>(
    _ first: [A], _ transformFirst: @Sendable (A) -> RA, _ second: [B], _ transformSecond: @Sendable (B) -> RB
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
    DispatchQueue.concurrentPerform(iterations: first.count + second.count) { index in
        if index < first.count {
            outputFirst[index] = transformFirst(first[index])
        } else {
            outputSecond[index - first.count] = transformSecond(second[index - first.count])
        }
    }
    return (firstResults.map { $0! }, secondResults.map { $0! })
}
