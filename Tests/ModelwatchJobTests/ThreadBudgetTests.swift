import Foundation
@testable import ModelwatchJob
import Testing

/// `run.threads` and the CPUs a process may use: affinity lists, cgroup quotas (v1 and v2, from files written here),
/// the bounded pool, and a real run under `taskset`.
@Suite("Thread budget")
struct ThreadBudgetTests {
    @Test("cpu.max and cfs quota text gives whole CPUs, rounded up; no limit is nil", arguments: [
        ("150000 100000", 2), ("100000 100000", 1), ("50000 100000", 1), ("400000 100000\n", 4), ("250000", 3),
        ("max 100000", nil), ("-1 100000", nil), ("", nil), ("abc 100000", nil), ("100000 0", nil),
    ] as [(String, Int?)])
    func quota(text: String, cpus: Int?) {
        #expect(ThreadBudget.quotaCPUs(cpuMax: text) == cpus)
    }

    @Test("kernel CPU lists count their CPUs", arguments: [
        ("0-1", 2), ("1", 1), ("0-3,8,10-11", 7), ("\t0-63\n", 64), ("", nil), ("3-1", nil), ("a", nil), ("0-1-2", nil),
    ] as [(String, Int?)])
    func cpuList(text: String, count: Int?) {
        #expect(ThreadBudget.cpuCount(list: text) == count)
    }

    @Test("the tightest quota from the process's cgroup up to the root counts, in cgroup v2 and v1")
    func cgroupQuota() throws {
        let root = TemporaryDirectory("modelwatch-cgroup")
        // v2: no limit in the leaf, 3 CPUs in its parent, 6 at the top.
        root.write("v2/cpu.max", "600000 100000\n")
        root.write("v2/jobs/cpu.max", "300000 100000\n")
        root.write("v2/jobs/modelwatch/cpu.max", "max 100000\n")
        let v2 = root.write("v2-cgroup", "0::/jobs/modelwatch\n")
        #expect(ThreadBudget.cgroupQuotaCPUs(procSelfCgroup: v2, root: root.file("v2")) == 3)
        // v1: the cpu controller mounted as `cpu,cpuacct`, 1.5 CPUs in the leaf.
        root.write("v1/cpu,cpuacct/batch/cpu.cfs_quota_us", "150000\n")
        root.write("v1/cpu,cpuacct/batch/cpu.cfs_period_us", "100000\n")
        root.write("v1/cpu,cpuacct/cpu.cfs_quota_us", "-1\n")
        root.write("v1/cpu,cpuacct/cpu.cfs_period_us", "100000\n")
        let v1 = root.write("v1-cgroup", "12:memory:/batch\n4:cpu,cpuacct:/batch\n0::/\n")
        #expect(ThreadBudget.cgroupQuotaCPUs(procSelfCgroup: v1, root: root.file("v1")) == 2)
        // No quota anywhere, and no cgroup file at all.
        let none = root.write("none-cgroup", "0::/\n")
        #expect(ThreadBudget.cgroupQuotaCPUs(procSelfCgroup: none, root: root.file("empty")) == nil)
        #expect(ThreadBudget.cgroupQuotaCPUs(procSelfCgroup: root.file("missing"), root: root.path) == nil)
    }

    @Test("run.threads wins; without it the budget is the CPUs this process may use")
    func resolve() throws {
        #expect(ThreadBudget.resolve(3) == 3)
        let available = ThreadBudget.availableCPUs()
        #expect(ThreadBudget.resolve(nil) == available)
        #expect((1...ProcessInfo.processInfo.activeProcessorCount).contains(available))
        let affinity = try #require(ThreadBudget.affinityCPUs(), "/proc/self/status has Cpus_allowed_list on Linux")
        #expect(available <= affinity)
    }

    @Test("the pool runs every index once, on at most `width` threads", arguments: [(1, 7), (2, 40), (3, 40), (8, 5), (4, 0)])
    func boundedPool(width: Int, iterations: Int) {
        let tracker = ConcurrencyTracker()
        boundedConcurrentPerform(iterations: iterations, width: width) { index in
            tracker.enter(index)
            usleep(2_000)
            tracker.leave()
        }
        #expect(tracker.seen.sorted() == Array(0..<iterations))
        #expect(tracker.peak <= max(1, min(width, iterations)))
    }

    @Test("a run under `taskset -c 0` uses one thread, and says so in its debug log")
    func tasksetLimitsThreads() throws {
        let taskset = "/usr/bin/taskset"
        guard FileManager.default.isExecutableFile(atPath: taskset), let binary = Executable.path else {
            Issue.record("needs \(taskset) (util-linux) and the built modelwatch executable")
            return
        }
        let directory = TemporaryDirectory("modelwatch-taskset")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskset)
        process.arguments = ["-c", "0", binary, "run", "--config", Fixture.path("demo/modelwatch.yaml"),
                             "--as-of", GoldenOutputTests.asOf, "--output", "file:\(directory.file("out.lp"))",
                             "--log-format", "logfmt", "--verbose"]
        // The run lock goes to a state directory inside the test's directory, never the real one.
        process.environment = ["TMPDIR": directory.path, "PATH": "/usr/bin:/bin", "MODELWATCH_STATE_DIR": directory.file("state")]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(log)")
        #expect(log.contains("msg=threads") && log.contains("threads=1"), "\(log)")
        // The points are those of an unrestricted run: the thread count changes how, not what.
        let golden = try String(contentsOfFile: GoldenOutputTests.goldenPath, encoding: .utf8)
        let written = try String(contentsOfFile: directory.file("out.lp"), encoding: .utf8)
        func metrics(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("modelwatch_run,") && !$0.hasPrefix("modelwatch_deadline,") } }
        #expect(metrics(written) == metrics(golden))
    }

    @Test("CPUs for a confined run: consecutive from a place set by the seed, wrapping, never more than allowed", arguments: [
        (count: 1, allowed: [0, 1], seed: 0, chosen: [0]), (count: 1, allowed: [0, 1], seed: 7, chosen: [1]),
        (count: 2, allowed: [0, 2, 4, 6], seed: 3, chosen: [0, 6]), (count: 3, allowed: [4, 5, 6, 7, 8], seed: 12, chosen: [6, 7, 8]),
        (count: 4, allowed: [0, 1], seed: 5, chosen: [0, 1]), (count: 1, allowed: [3], seed: -4, chosen: [3]),
    ])
    func confinedCPUs(count: Int, allowed: [Int], seed: Int, chosen: [Int]) {
        #expect(CPUConfinement.choose(count, from: allowed, seed: seed) == chosen)
    }

    @Test("run.threads: 1 confines the whole process to one CPU, and the points are those of an unconfined run")
    func runThreadsConfinesTheProcess() throws {
        let taskset = "/usr/bin/taskset"
        guard FileManager.default.isExecutableFile(atPath: taskset), let binary = Executable.path else {
            Issue.record("needs \(taskset) (util-linux) and the built modelwatch executable")
            return
        }
        // The demo with `run.threads: 1`, copied so its relative paths still hold.
        let directory = TemporaryDirectory("modelwatch-confined")
        let demo = directory.file("demo")
        try FileManager.default.copyItem(atPath: Fixture.path("demo"), toPath: demo)
        let config = demo + "/modelwatch.yaml"
        let yaml = try String(contentsOfFile: config, encoding: .utf8)
        try yaml.replacingOccurrences(of: "run:\n", with: "run:\n  threads: 1\n").write(toFile: config, atomically: true, encoding: .utf8)
        // Two CPUs allowed (taskset), so there is something to narrow whatever the machine.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskset)
        process.arguments = ["-c", "0,1", binary, "run", "--config", config, "--as-of", GoldenOutputTests.asOf,
                             "--output", "file:\(directory.file("out.lp"))", "--log-format", "logfmt", "--verbose"]
        process.environment = ["TMPDIR": directory.path, "PATH": "/usr/bin:/bin", "MODELWATCH_STATE_DIR": directory.file("state")]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(log)")
        let confined = log.split(separator: "\n").first { $0.contains("msg=\"confined to CPUs\"") }
        #expect(confined.map { $0.contains("cpus=0") || $0.contains("cpus=1") } == true, "\(log)")
        #expect(log.contains("threads=1"), "\(log)")
        let golden = try String(contentsOfFile: GoldenOutputTests.goldenPath, encoding: .utf8)
        let written = try String(contentsOfFile: directory.file("out.lp"), encoding: .utf8)
        func metrics(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("modelwatch_run,") && !$0.hasPrefix("modelwatch_deadline,") } }
        #expect(metrics(written) == metrics(golden))
    }
}

/// Records which indices ran and the most that ran at once.
private final class ConcurrencyTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var peak = 0
    private(set) var seen: [Int] = []

    func enter(_ index: Int) {
        lock.lock()
        running += 1
        peak = max(peak, running)
        seen.append(index)
        lock.unlock()
    }

    func leave() {
        lock.lock()
        running -= 1
        lock.unlock()
    }
}
