import Dispatch
import DriftMetrics

/// Reusable buffers for the per-feature gathers and sorts of ``ModelEvaluator``, one per running task.
///
/// A window of millions of rows needs three buffers of that many values per numeric feature (the values and
/// the radix sort's two key buffers); reusing them across features avoids allocating, and page-faulting in,
/// hundreds of megabytes per run.
final class SampleWorkspaces: @unchecked Sendable {
    struct Workspace {
        var values: [Double] = []
        var sort = SortedSample.SortWorkspace()
        /// Raw storage for the slice numbers a shared sort of doubles carries (``NumericColumn/forEachSliceSortedPresentDoubles(family:rows:kinds:values:scratch:payload:_:)``).
        var payload: [UInt8] = []
    }

    private var free: [Workspace] = []
    private let lock = DispatchSemaphore(value: 1)

    /// Runs `body` with a workspace no other task holds.
    func with<Result>(_ body: (inout Workspace) -> Result) -> Result {
        lock.wait()
        var workspace = free.popLast() ?? Workspace()
        lock.signal()
        let result = body(&workspace)
        lock.wait()
        free.append(workspace)
        lock.signal()
        return result
    }
}
