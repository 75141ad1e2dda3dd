import Foundation

/// Starts the long-running, blocking roles of reading (the table's consumer, the label parser, the block
/// parsers, the gzip inflater) on threads of their own.
///
/// They wait on each other through semaphores, so they must not depend on the shared dispatch pool having a
/// free thread for each of them: on a small machine the pool may run them one after another, and a consumer
/// that does not run lets parsed batches pile up.
enum ReaderThread {
    static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = "modelwatch.\(name)"
        thread.start()
    }
}
