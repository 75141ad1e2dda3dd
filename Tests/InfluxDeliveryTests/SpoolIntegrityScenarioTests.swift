import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The state directory of one scenario: spool, dead-letter file and quarantine side by side, as a deployment has them.
struct StateDirectory {
    let dir = TempDirectory()
    var spool: String { dir.path + "/state/spool" }
    var deadLetter: String { dir.path + "/state/dead-letter.lp" }
    var quarantine: String { dir.path + "/state/quarantine" }

    func writer(
        url: String, credentials: InfluxCredentials = .none, policy: DeliveryPolicy = RealServers.policy(),
        logger: Logger = Logger(label: "scenario", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws -> InfluxWriter {
        InfluxWriter(
            target: InfluxTarget(
                baseURL: url, api: RealInfluxScenarioTests.api, credentials: credentials, connectTimeout: .seconds(1),
                requestTimeout: .seconds(5)),
            policy: policy, spool: try Spool(directory: spool, quarantineDirectory: quarantine), deadLetterPath: deadLetter,
            transport: CurlTransport(), environment: .system, logger: logger)
    }

    /// Names in `path`, sorted (none when it does not exist).
    static func names(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    var spoolFiles: [String] { Self.names(spool).filter { $0 != ".lock" } }
    var quarantineFiles: [String] { Self.names(quarantine) }
}

/// How a spool file is damaged before the next run replays it.
enum SpoolDamage: String, CaseIterable, CustomTestStringConvertible {
    case nulInBody = "a NUL byte in a line"
    case cutInsideTimestamp = "cut inside the last timestamp"
    case appendedGarbage = "garbage appended"
    case oldFormatWithNul = "old format (no header) with a NUL byte"
    case oldFormatCut = "old format (no header) cut inside the last timestamp"

    var testDescription: String { rawValue }

    /// What the quarantine's `.reason` file says.
    var reasonFragment: String {
        switch self {
        case .nulInBody: "checksum mismatch"
        case .cutInsideTimestamp, .appendedGarbage: "wrong length"
        case .oldFormatWithNul: "control byte 0x00"
        case .oldFormatCut: "the file was cut short"
        }
    }

    func apply(to path: String) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        if self == .oldFormatWithNul || self == .oldFormatCut {
            bytes.removeSubrange(...bytes.firstIndex(of: UInt8(ascii: "\n"))!)
        }
        switch self {
        case .nulInBody, .oldFormatWithNul: bytes[bytes.count - 30] = 0
        case .cutInsideTimestamp, .oldFormatCut: bytes.removeLast(3)  // the newline and two digits
        case .appendedGarbage: bytes += Array("model_test,series=x value=1 17\n".utf8)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// A damaged or unreadable spool entry never blocks delivery and never writes a wrong point: real `influxd`.
@Suite(
    "Spool integrity against a real influxd", .serialized,
    .enabled(if: RealServers.enabled, "influxd/victoria-metrics missing and MODELWATCH_ALLOW_SKIP=1"))
struct SpoolIntegrityScenarioTests {
    private func startServer() throws -> InfluxServer {
        let server = try InfluxServer()
        try server.createDatabase("mw")
        return server
    }

    /// Spools points 0..<120 of `series` in three files (50, 50, 20 points) while the server is down.
    private func spoolThreeFiles(_ state: StateDirectory, series: String) throws -> [String] {
        let deadPort = try FreePort.find()
        let report = try state.writer(url: "http://127.0.0.1:\(deadPort)", policy: RealServers.policy(retryBudget: .zero))
            .deliver(lines: Lines.body(Lines.points(120, series: series)))
        #expect(report.pointsSpooled == 120 && report.spoolFiles == 3)
        return state.spoolFiles
    }

    @Test("a damaged spool file is quarantined with its reason; the files behind it and the new points are delivered", arguments: SpoolDamage.allCases)
    func damagedFileIsQuarantined(damage: SpoolDamage) throws {
        let state = StateDirectory()
        let files = try spoolThreeFiles(state, series: "damaged")
        try damage.apply(to: "\(state.spool)/\(files[1])")

        let server = try startServer()
        defer { server.stop() }
        let logs = LogCapture()
        let report = try state.writer(url: server.url, logger: logs.logger).deliver(lines: Lines.body(Lines.points(30, series: "damaged", from: 120)))

        guard case .dataRejected(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("\(state.spool)/\(files[1])") && message.contains(damage.reasonFragment), "\(message)")
        #expect(report.spoolFilesQuarantined == 1 && report.quarantinedFiles == ["\(state.quarantine)/\(files[1])"])
        #expect(report.pointsReplayed == 70 && report.pointsDelivered == 100)
        #expect(state.spoolFiles == [])
        #expect(state.quarantineFiles == [files[1], files[1] + ".reason"])
        let reason = try String(contentsOfFile: "\(state.quarantine)/\(files[1]).reason", encoding: .utf8)
        #expect(reason.contains(damage.reasonFragment), "\(reason)")
        #expect(logs.text.contains("path=\(state.spool)/\(files[1])") && logs.text.contains("moved to the quarantine"))
        #expect(!FileManager.default.fileExists(atPath: state.deadLetter))
        PointAudit(
            "spool file \(damage.rawValue)", expectedKeys: Lines.keys(50) + Lines.keys(50, from: 100),
            storedKeys: try server.storedKeys(database: "mw", series: "damaged")
        ).check()
    }

    @Test("spool files of the previous version (no header) are replayed when every line is a complete point")
    func oldFormatIsReplayed() throws {
        let state = StateDirectory()
        for name in try spoolThreeFiles(state, series: "legacy") {
            let path = "\(state.spool)/\(name)"
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            try Data(bytes[(bytes.firstIndex(of: UInt8(ascii: "\n"))! + 1)...]).write(to: URL(fileURLWithPath: path))
        }
        let server = try startServer()
        defer { server.stop() }
        let report = try state.writer(url: server.url).deliver(lines: Lines.body(Lines.points(30, series: "legacy", from: 120)))
        #expect(report.outcome == .delivered && report.pointsReplayed == 120 && report.spoolFilesQuarantined == 0)
        #expect(state.spoolFiles == [] && state.quarantineFiles == [])
        PointAudit("old-format spool files", expectedKeys: Lines.keys(150), storedKeys: try server.storedKeys(database: "mw", series: "legacy")).check()
    }

    @Test("a directory in the spool is a configuration error naming it; the other files and the new points are still delivered")
    func directoryInSpool() throws {
        let state = StateDirectory()
        let files = try spoolThreeFiles(state, series: "dir")
        let blocker = "\(state.spool)/000000000000001-000001.lp"  // sorts before every real file
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)

        let server = try startServer()
        defer { server.stop() }
        let report = try state.writer(url: server.url).deliver(lines: Lines.body(Lines.points(30, series: "dir", from: 120)))
        guard case .configurationError(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.contains("\(blocker) is a directory, not a spool file"), "\(message)")
        #expect(report.outcome.suggestedExitCode == 78)
        #expect(report.pointsReplayed == 120 && report.pointsDelivered == 150 && report.pointsSpooled == 0)
        #expect(state.spoolFiles == ["000000000000001-000001.lp"] && state.quarantineFiles == [])
        #expect(!files.isEmpty)
        PointAudit("a directory in the spool", expectedKeys: Lines.keys(150), storedKeys: try server.storedKeys(database: "mw", series: "dir")).check()
    }

    @Test("an answer whose header holds a NUL byte (curl error 8) is classified by its status: a 400 is dead-lettered, not retried")
    func nulByteInServerHeader() throws {
        let server = try startServer()
        defer { server.stop() }
        let state = StateDirectory()
        // influxd echoes the bad line, NUL included, in X-Influxdb-Error; libcurl refuses that header.
        var lines = Lines.points(10, series: "nul")
        lines[4] = "model_test,series=nul idx=4i,value=\u{0} 1785000004000"
        let report = try state.writer(url: server.url).deliver(lines: Lines.body(lines))
        guard case .dataRejected(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(message.hasPrefix("HTTP 400") && message.contains("Nul byte in header"), "\(message)")
        #expect(report.requests == 1 && report.retries == 0 && report.pointsSpooled == 0)
        #expect(state.spoolFiles == [] && state.quarantineFiles == [])
        // The header naming the bad line was unreadable, so the whole batch is in the dead-letter file.
        let deadLetter = try String(contentsOfFile: state.deadLetter, encoding: .utf8)
        #expect(deadLetter.split(separator: "\n").filter { !$0.hasPrefix("#") }.count == 10)
        PointAudit(
            "NUL byte echoed in a header", expectedKeys: Lines.keys(4) + Lines.keys(5, from: 5),
            storedKeys: try server.storedKeys(database: "mw", series: "nul")
        ).check()
    }
}

/// A small tmpfs mounted for one test (root only): a real file system that runs out of space.
final class TinyFileSystem {
    let path: String

    init(at path: String, size: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    deinit {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = [path]
        try? umount.run()
        umount.waitUntilExit()
    }

    /// Mounting needs root; elsewhere the test fails unless `MODELWATCH_ALLOW_SKIP=1`.
    static let available = geteuid() == 0 || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1"
}

@Suite(
    "Lost points on a full disk, real influxd", .serialized,
    .enabled(if: RealServers.enabled && TinyFileSystem.available, "needs influxd and root (tmpfs), or MODELWATCH_ALLOW_SKIP=1"))
struct FullSpoolScenarioTests {
    @Test("points that fit neither the server nor a full spool are reported lost (exit 74), never as spooled; what was spooled replays")
    func fullDiskLosesPointsLoudly() throws {
        let state = StateDirectory()
        let disk = try TinyFileSystem(at: state.spool, size: "16k")
        let logs = LogCapture()
        let deadPort = try FreePort.find()
        let report = try state.writer(url: "http://127.0.0.1:\(deadPort)", policy: RealServers.policy(retryBudget: .zero), logger: logs.logger)
            .deliver(lines: Lines.body(Lines.points(1001, series: "full")))

        guard case .pointsLost(let message) = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(report.outcome.suggestedExitCode == 74)
        #expect(report.pointsLost > 0 && report.pointsSpooled > 0 && report.pointsLost + report.pointsSpooled == 1001)
        #expect(message.hasPrefix("\(report.pointsLost) points lost: not delivered (delivery failed: "), "\(message)")
        #expect(message.contains("Connection refused") || message.contains("connectionRefused"), "\(message)")
        #expect(message.contains("), and the spool \(state.spool) could not be written"), "\(message)")
        #expect(message.contains("No space left on device"), "\(message)")
        #expect(logs.text.contains("points lost") && logs.text.contains("points_lost="))
        // Only whole, checked batches are in the spool; no temp file is left behind.
        let files = state.spoolFiles
        #expect(files.allSatisfy { $0.hasSuffix(".lp") }, "\(files)")
        let spooled = try files.flatMap { try Lines.spooled("\(state.spool)/\($0)") }
        #expect(spooled.count == report.pointsSpooled)

        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("mw")
        let replay = try state.writer(url: server.url).replaySpool()
        #expect(replay.outcome == .delivered && replay.pointsReplayed == report.pointsSpooled)
        #expect(state.spoolFiles == [] && state.quarantineFiles == [])
        let expected = spooled.map { line -> String in
            let parts = line.split(separator: " ")
            let idx = parts[1].split(separator: ",")[0].dropFirst("idx=".count).dropLast()
            return "\(parts[2])|\(idx)"
        }
        PointAudit("spool on a full disk", expectedKeys: expected, storedKeys: try server.storedKeys(database: "mw", series: "full")).check()
        _ = disk
    }
}
