import Foundation
import HTTPTransport
import InfluxDelivery
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// modelwatch itself killed with SIGKILL in the middle of writing, then run again.
///
/// The writer runs in a child process: this test binary re-launched with `--filter` on `childWriter`
/// and `MW_KILL_CHILD_*` variables. The parent SIGKILLs it mid-run, then runs the same job again
/// (same deterministic points, same spool) and checks the exact stored set.
@Suite(
    "Writer killed with SIGKILL mid-run", .serialized,
    .enabled(if: RealServers.enabled, "influxd/victoria-metrics missing and MODELWATCH_ALLOW_SKIP=1"))
struct KilledWriterTests {
    static let api = InfluxAPI.v1(database: "mw", retentionPolicy: nil)
    static let environment = ProcessInfo.processInfo.environment

    /// The child side; only runs when launched by `launchChild`.
    @Test("child writer (runs only inside the SIGKILL scenarios)", .enabled(if: environment["MW_KILL_CHILD_URL"] != nil))
    func childWriter() throws {
        let env = Self.environment
        let dir = env["MW_KILL_CHILD_DIR"]!
        let lines = Int(env["MW_KILL_CHILD_LINES"]!)!
        let batch = Int(env["MW_KILL_CHILD_BATCH"]!)!
        let writer = InfluxWriter(
            target: InfluxTarget(baseURL: env["MW_KILL_CHILD_URL"]!, api: Self.api, connectTimeout: .seconds(1)),
            policy: DeliveryPolicy(maxBatchLines: batch, maxAttempts: 1, retryBudget: .seconds(1)),
            spool: try Spool(directory: dir + "/spool"), deadLetterPath: dir + "/dead-letter.lp", transport: CurlTransport())
        _ = FileManager.default.createFile(atPath: dir + "/started", contents: nil)
        _ = writer.deliver(lines: Lines.body(Lines.points(lines, series: env["MW_KILL_CHILD_SERIES"]!)))
        _ = FileManager.default.createFile(atPath: dir + "/finished", contents: nil)
    }

    /// Launches the child writer, waits until it started, sleeps `killAfter`, SIGKILLs it.
    /// Returns whether it was still running when killed.
    private func runAndKill(url: String, dir: TempDirectory, lines: Int, batch: Int, series: String, killAfter: Double) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["--testing-library", "swift-testing", "--filter", "childWriter"]
        var env = Self.environment
        env["MW_KILL_CHILD_URL"] = url
        env["MW_KILL_CHILD_DIR"] = dir.path
        env["MW_KILL_CHILD_LINES"] = "\(lines)"
        env["MW_KILL_CHILD_BATCH"] = "\(batch)"
        env["MW_KILL_CHILD_SERIES"] = series
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: dir.path + "/started") && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: killAfter)
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return wasRunning && !FileManager.default.fileExists(atPath: dir.path + "/finished")
    }

    @Test("killed while sending: the rerun sends the same deterministic points again; nothing lost, nothing duplicated")
    func killedWhileSending() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("mw")
        let proxy = try FaultProxy(upstreamPort: Int(server.url.split(separator: ":").last!)!)
        defer { proxy.stop() }
        proxy.defaultAction = .delayAnswer(.milliseconds(150))  // ~40 requests × 150 ms: the kill lands mid-run
        let dir = TempDirectory()
        let killedMidRun = try runAndKill(url: proxy.url, dir: dir, lines: 800, batch: 20, series: "killsend", killAfter: 1.5)
        #expect(killedMidRun, "the child finished before the kill: the scenario did not test anything")
        let partial = try server.storedKeys(database: "mw", series: "killsend").count
        print("[delivery scenario] killed while sending: \(partial) of 800 points stored before SIGKILL, \(proxy.requests.count) requests")
        #expect(partial > 0 && partial < 800)

        proxy.defaultAction = .passThrough
        let rerun = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(maxBatchLines: 20), dir: dir)
            .deliver(lines: Lines.body(Lines.points(800, series: "killsend")))
        #expect(rerun.outcome == .delivered)
        PointAudit("SIGKILL while sending, rerun", expectedKeys: Lines.keys(800), storedKeys: try server.storedKeys(database: "mw", series: "killsend")).check()
    }

    @Test("killed while spooling: the spool holds only whole batches, the lock is free, the rerun replays it; nothing lost or duplicated")
    func killedWhileSpooling() throws {
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("mw")
        let dir = TempDirectory()
        let deadPort = try FreePort.find()
        let killedMidRun = try runAndKill(
            url: "http://127.0.0.1:\(deadPort)", dir: dir, lines: 4000, batch: 1, series: "killspool", killAfter: 0.3)
        let spool = try Spool(directory: dir.path + "/spool")  // the kernel released the dead child's lock
        let spooledFiles = spool.entries()
        let temps = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/spool").filter { $0.hasPrefix(".tmp-") }
        print("[delivery scenario] killed while spooling: killed mid-run=\(killedMidRun), \(spooledFiles.count) whole spool files, \(temps.count) temp files left")
        #expect(temps.isEmpty, "temp files are removed when the spool is opened")
        for entry in spooledFiles.prefix(50) {
            #expect(try Lines.spooled(entry.path).count == 1, "whole batches only, each with its header")
        }
        _ = consume spool

        let rerun = try RealServers.writer(url: server.url, api: Self.api, policy: RealServers.policy(maxBatchLines: 500), dir: dir)
            .deliver(lines: Lines.body(Lines.points(4000, series: "killspool")))
        #expect(rerun.outcome == .delivered && rerun.spoolFiles == 0)
        #expect(rerun.pointsReplayed == spooledFiles.count)
        PointAudit("SIGKILL while spooling, rerun", expectedKeys: Lines.keys(4000), storedKeys: try server.storedKeys(database: "mw", series: "killspool")).check()
    }
}
