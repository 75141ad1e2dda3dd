import Dispatch

/// A value computed on a thread of its own (``ReaderThread``) while the caller goes on; ``wait()`` returns it,
/// or throws its error.
///
/// Used for work that would otherwise stand before the score read: parsing the label files, decoding the
/// reference profile.
package final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the worker thread before `done` is signalled; read only after waiting on it.
    private var result: Result<Value, JobError>?

    package init(_ name: String, _ work: @escaping @Sendable () throws(JobError) -> Value) {
        ReaderThread.start(name) { [self] in
            do throws(JobError) {
                result = .success(try work())
            } catch {
                result = .failure(error)
            }
            done.signal()
        }
    }

    /// Waits for the work and returns its value (or throws its error); later calls return at once.
    package func wait() throws(JobError) -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
