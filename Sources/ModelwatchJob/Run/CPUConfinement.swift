import CAffinity
import Foundation

/// Keeps a whole process on `run.threads` CPUs, so a run never uses more than that many cores.
///
/// The statistics pool and the score parsers already start `run.threads` threads, but a read also runs the
/// label parser and the hand-over of parsed rows to the table beside them (and the label join's and the
/// profile decoder's threads for a while); left alone, `threads: 1` used about 1.25 cores. Confined to N CPUs
/// (the kernel's affinity mask, as `taskset` sets it) the process's threads share those N cores, so its CPU
/// use is at most N × 100% and an operator can size a host by it. The executable confines itself when the
/// config sets `run.threads`; `auto` leaves the mask as it is.
public enum CPUConfinement {
    /// The CPUs of the calling thread's affinity mask, ascending; nil where it cannot be read.
    public static func allowedCPUs() -> [Int]? {
        var cpus = [Int32](repeating: 0, count: 4096)
        let count = cpus.withUnsafeMutableBufferPointer { modelwatch_get_affinity(0, $0.baseAddress, Int32($0.count)) }
        guard count > 0 else { return nil }
        return cpus.prefix(Int(count)).map { Int($0) }
    }

    /// `count` CPUs of `allowed` (ascending): consecutive, wrapping around, from a place that depends on `seed`
    /// (the process id), so runs started at once on a large host do not all land on its first CPUs.
    public static func choose(_ count: Int, from allowed: [Int], seed: Int) -> [Int] {
        guard count < allowed.count else { return allowed }
        let start = ((seed % allowed.count) + allowed.count) % allowed.count
        return (0..<count).map { allowed[(start + $0) % allowed.count] }.sorted()
    }

    /// Confines every thread of this process, and those it starts later, to `threads` of the CPUs it may use.
    /// Returns the CPUs, or nil when there is nothing to narrow (`threads` is at least the CPUs allowed) or the
    /// mask cannot be read or set (the run then goes on unconfined).
    public static func confine(threads: Int) -> [Int]? {
        guard let allowed = allowedCPUs(), threads < allowed.count else { return nil }
        let chosen = choose(threads, from: allowed, seed: Int(getpid())).map { Int32($0) }
        // The calling thread first (threads it starts inherit its mask), then every thread already running.
        guard chosen.withUnsafeBufferPointer({ modelwatch_set_affinity(0, $0.baseAddress, Int32($0.count)) }) == 0 else { return nil }
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for task in tasks.compactMap({ Int32($0) }) {
            _ = chosen.withUnsafeBufferPointer { modelwatch_set_affinity(task, $0.baseAddress, Int32($0.count)) }
        }
        return chosen.map { Int($0) }
    }
}
