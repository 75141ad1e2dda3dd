import Foundation

/// How many threads a run keeps busy at once.
///
/// `run.threads` when the config sets it; otherwise the CPUs this process may use: the machine's cores, narrowed
/// by the process's CPU affinity (`taskset`, a cpuset) and by a cgroup CPU quota (a container's CPU limit,
/// rounded up to whole CPUs). Foundation's processor count sees neither, so in a container limited to one CPU on
/// a 32-core node every pool would start 32 workers, each with its own sort buffers.
public enum ThreadBudget {
    /// The threads for a run: `configured` when set, else ``availableCPUs()``.
    public static func resolve(_ configured: Int?) -> Int {
        configured ?? availableCPUs()
    }

    /// One line saying how many threads a run uses and why, for `modelwatch validate`.
    public static func describe(_ configured: Int?) -> String {
        if let configured { return "threads: \(configured) (run.threads)" }
        let cores = ProcessInfo.processInfo.activeProcessorCount, affinity = affinityCPUs(), quota = cgroupQuotaCPUs()
        return "threads: \(available(cores: cores, affinity: affinity, quota: quota)) (auto: \(cores) cores, "
            + "affinity \(affinity.map(String.init) ?? "unknown"), cgroup CPU quota \(quota.map { "\($0) CPUs" } ?? "none"))"
    }

    /// The CPUs this process may use (at least 1).
    public static func availableCPUs() -> Int {
        available(cores: ProcessInfo.processInfo.activeProcessorCount, affinity: affinityCPUs(), quota: cgroupQuotaCPUs())
    }

    /// The fewest of the machine's cores, the affinity mask's CPUs and the quota's, at least 1.
    private static func available(cores: Int, affinity: Int?, quota: Int?) -> Int {
        Swift.max(1, ([cores] + [affinity, quota].compactMap { $0 }).min()!)
    }

    /// CPUs in the process's affinity mask, from the `Cpus_allowed_list` line of `/proc/self/status` (`0-3,8`),
    /// or nil where it cannot be read.
    public static func affinityCPUs(status: String = "/proc/self/status") -> Int? {
        guard let text = try? String(contentsOfFile: status, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        return cpuCount(list: String(line.dropFirst("Cpus_allowed_list:".count)))
    }

    /// The number of CPUs in a kernel CPU list (`"0-3,8,10-11"` → 7); nil when it is not one.
    public static func cpuCount(list: String) -> Int? {
        var count = 0
        for item in list.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",") {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard let low = Int(bounds[0]), bounds.count <= 2 else { return nil }
            let high = bounds.count == 2 ? Int(bounds[1]) : low
            guard let high, high >= low else { return nil }
            count += high - low + 1
        }
        return count > 0 ? count : nil
    }

    /// The tightest CPU quota on the way from this process's cgroup up to the root, in whole CPUs (rounded up), or
    /// nil without one: cgroup v2 `cpu.max`, or cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`.
    public static func cgroupQuotaCPUs(procSelfCgroup: String = "/proc/self/cgroup", root: String = "/sys/fs/cgroup") -> Int? {
        guard let text = try? String(contentsOfFile: procSelfCgroup, encoding: .utf8) else { return nil }
        var best: Int?
        for line in text.split(separator: "\n") {
            // `hierarchy:controllers:path`; v2 has hierarchy 0 and no controllers.
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = fields[1].split(separator: ",")
            let quota: (String) -> Int?
            let base: String
            if fields[0] == "0" && fields[1].isEmpty {
                base = root
                quota = { directory in (try? String(contentsOfFile: directory + "/cpu.max", encoding: .utf8)).flatMap(quotaCPUs(cpuMax:)) }
            } else if controllers.contains("cpu") {
                base = root + "/" + fields[1]
                quota = { directory in
                    guard let quota = try? String(contentsOfFile: directory + "/cpu.cfs_quota_us", encoding: .utf8),
                          let period = try? String(contentsOfFile: directory + "/cpu.cfs_period_us", encoding: .utf8) else { return nil }
                    return quotaCPUs(cpuMax: quota.trimmingCharacters(in: .whitespacesAndNewlines) + " " + period)
                }
            } else {
                continue
            }
            var path = String(fields[2])
            while true {
                if let cpus = quota(base + (path == "/" ? "" : path)) { best = Swift.min(best ?? cpus, cpus) }
                guard path != "/", !path.isEmpty else { break }
                path = (path as NSString).deletingLastPathComponent
            }
        }
        return best
    }

    /// Whole CPUs of a quota and period in microseconds, as `cpu.max` writes them (`"150000 100000"` → 2); nil for
    /// no limit (`max`, or a negative v1 quota) or text that is not a quota.
    public static func quotaCPUs(cpuMax: String) -> Int? {
        let parts = cpuMax.split(whereSeparator: \.isWhitespace)
        guard let first = parts.first, let quota = Double(first), quota > 0 else { return nil }
        let period = parts.count >= 2 ? Double(parts[1]) ?? 0 : 100_000
        guard period > 0 else { return nil }
        return Swift.max(1, Int((quota / period).rounded(.up)))
    }
}
