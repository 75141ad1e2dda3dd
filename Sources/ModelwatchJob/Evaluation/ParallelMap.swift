import Dispatch

extension Array where Element: Sendable {
    /// Maps on all cores, keeping the order of the results (so output stays deterministic).
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let output = results
        let input = self
        DispatchQueue.concurrentPerform(iterations: count) { index in
            output[index] = transform(input[index])
        }
        return results.map { $0! }
    }
}
