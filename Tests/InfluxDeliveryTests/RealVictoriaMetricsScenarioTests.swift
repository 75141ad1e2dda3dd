import Foundation
import HTTPTransport
import InfluxDelivery
import Testing
import TestSupport

/// The v2 write path (`/api/v2/write`) against a real VictoriaMetrics, behind the fault proxy.
@Suite(
    "Real VictoriaMetrics scenarios (v2 API)", .serialized,
    .enabled(if: RealServers.enabled, "influxd/victoria-metrics missing and MODELWATCH_ALLOW_SKIP=1"))
struct RealVictoriaMetricsScenarioTests {
    static let api = InfluxAPI.v2(org: "ignored", bucket: "mw")

    private func storedKeys(_ vm: VictoriaMetricsServer, series: String) throws -> [String] {
        let exported = try vm.export(match: #"{__name__="model_test_idx",series="\#(series)"}"#)
        return exported.flatMap { s in zip(s.timestamps, s.values).map { "\($0)|\(Int($1))" } }
    }

    @Test("gzip bodies, 429 with Retry-After, 503 and 413 splits through the v2 API: every point once")
    func faultsThroughV2() throws {
        let vm = try VictoriaMetricsServer()
        defer { vm.stop() }
        let proxy = try FaultProxy(upstreamPort: vm.port)
        defer { proxy.stop() }
        proxy.enqueue(.respond(status: 429, headers: ["Retry-After": "1"]), .respond(status: 503))
        proxy.defaultAction = .tooLargeAbove(bytes: 3_000)
        let dir = TempDirectory()
        let report = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(maxBatchLines: 2000), dir: dir)
            .deliver(lines: Lines.body(Lines.points(1500, series: "vm")))
        #expect(report.outcome == .delivered && report.pointsDelivered == 1500 && report.retries == 2)
        #expect(proxy.requests.contains { $0.headers["content-encoding"] == "gzip" })
        #expect(proxy.requests.first?.requestLine.hasPrefix("POST /api/v2/write?org=ignored&bucket=mw&precision=ms") == true)
        PointAudit("VM v2: 429, 503, 413", expectedKeys: Lines.keys(1500), storedKeys: try storedKeys(vm, series: "vm")).check()
    }

    @Test("v2 server unavailable for a whole run: spooled, then replayed in order by the next run")
    func spoolReplayThroughV2() throws {
        let vm = try VictoriaMetricsServer()
        defer { vm.stop() }
        let proxy = try FaultProxy(upstreamPort: vm.port)
        defer { proxy.stop() }
        proxy.defaultAction = .respond(status: 503)
        let dir = TempDirectory()
        let first = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(retryBudget: .seconds(1)), dir: dir)
            .deliver(lines: Lines.body(Lines.points(300, series: "vmspool")))
        guard case .temporaryFailure = first.outcome else { Issue.record("\(first.outcome)"); return }
        #expect(first.pointsSpooled == 300)
        proxy.defaultAction = .passThrough
        let second = try RealServers.writer(url: proxy.url, api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(100, series: "vmspool", from: 300)))
        #expect(second.outcome == .delivered && second.pointsReplayed == 300 && second.pointsDelivered == 400)
        PointAudit("VM v2: down for a run, replay", expectedKeys: Lines.keys(400), storedKeys: try storedKeys(vm, series: "vmspool")).check()
    }

    @Test("a damaged spool file is quarantined through the v2 API too; the files behind it and the new points land once")
    func damagedSpoolFileThroughV2() throws {
        let dir = TempDirectory()
        let deadPort = try FreePort.find()
        let down = try RealServers.writer(url: "http://127.0.0.1:\(deadPort)", api: Self.api, policy: RealServers.policy(retryBudget: .zero), dir: dir)
            .deliver(lines: Lines.body(Lines.points(120, series: "vmbad")))
        #expect(down.pointsSpooled == 120 && down.spoolFiles == 3)
        let spool = dir.path + "/spool"
        let files = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".lp") }.sorted()
        try SpoolDamage.oldFormatWithNul.apply(to: "\(spool)/\(files[1])")

        let vm = try VictoriaMetricsServer()
        defer { vm.stop() }
        let report = try RealServers.writer(url: "http://127.0.0.1:\(vm.port)", api: Self.api, policy: RealServers.policy(), dir: dir)
            .deliver(lines: Lines.body(Lines.points(30, series: "vmbad", from: 120)))
        guard case .dataRejected = report.outcome else { Issue.record("\(report.outcome)"); return }
        #expect(report.spoolFilesQuarantined == 1 && report.pointsDelivered == 100 && report.spoolFiles == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool + "/quarantine").sorted() == [files[1], files[1] + ".reason"])
        PointAudit(
            "VM v2: damaged spool file", expectedKeys: Lines.keys(50) + Lines.keys(50, from: 100),
            storedKeys: try storedKeys(vm, series: "vmbad")
        ).check()
    }
}
