import InfluxDelivery
@testable import ModelwatchJob
@testable import ModelwatchSources
import Testing

/// The delivery lines of the summary say where every point went, and loss is on the first line.
@Suite("Summary: where the points went")
struct DeliverySummaryTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var delivery: DeliveryReport
        var firstLine: String?
        var present: [String]
        var absent: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        var lost = DeliveryReport()
        lost.pointsSpooled = 300
        lost.pointsLost = 1001
        lost.outcome = .pointsLost("1001 points lost: not delivered, and the spool /s could not be written (No space left on device)")
        var unsaved = DeliveryReport()
        unsaved.pointsDelivered = 20
        unsaved.pointsRejected = 100
        unsaved.pointsRejectedNotSaved = 100
        unsaved.deadLetterError = "the dead-letter file /var/lib/mw/dead.lp could not be written (open: Permission denied)"
        var saved = unsaved
        saved.pointsRejectedNotSaved = 0
        saved.deadLetterError = nil
        var quarantined = DeliveryReport()
        quarantined.pointsDelivered = 5
        quarantined.spoolFilesQuarantined = 1
        quarantined.quarantinedFiles = ["/var/lib/mw/quarantine/000001785000000-000001.lp"]
        return [
            Case(name: "points lost", delivery: lost, firstLine: " · 1,001 POINTS LOST (neither delivered nor spooled)",
                 present: ["300 spooled · 1,001 LOST (neither delivered nor spooled)"], absent: []),
            Case(name: "dead-letter file not writable", delivery: unsaved, firstLine: nil,
                 present: ["100 rejected and only logged, the dead-letter file /var/lib/mw/dead.lp could not be written (open: Permission denied)"],
                 absent: ["(dead letter)", "LOST"]),
            Case(name: "dead-lettered", delivery: saved, firstLine: nil, present: ["100 rejected (dead letter)"], absent: ["only logged"]),
            Case(name: "a spool file quarantined", delivery: quarantined, firstLine: nil,
                 present: ["1 spool file failed the check, quarantined: /var/lib/mw/quarantine/000001785000000-000001.lp"], absent: []),
        ]
    }()

    @Test("delivery lines", arguments: cases)
    func deliveryLines(_ example: Case) {
        var model = ModelReport(name: "churn")
        model.delivery = example.delivery
        model.status = JobRunner.status(of: example.delivery.outcome) ?? .ok
        var report = RunReport(asOfMs: 1_785_000_000_000)
        report.destination = "InfluxDB http://influx:8086/write?db=mw&precision=ms"
        report.models = [model]
        let text = SummaryRenderer.render(report)
        let first = String(text.split(separator: "\n").first ?? "")
        if let expected = example.firstLine {
            #expect(first.hasSuffix(expected), "\(first)")
        } else {
            #expect(!first.contains("LOST"), "\(first)")
        }
        for fragment in example.present { #expect(text.contains(fragment), "\(text)") }
        for fragment in example.absent { #expect(!text.contains(fragment), "\(text)") }
    }

    @Test("lost points exit 74 (EX_IOERR), the worst delivery outcome")
    func lostPointsExit74() {
        #expect(JobRunner.status(of: .pointsLost("x")) == .ioError)
        #expect(ExitStatus.ioError.rawValue == 74 && ExitStatus.ioError.statusText == "io_error")
        #expect(ExitStatus.ioError > .configError && ExitStatus.ioError > .temporaryFailure)
        #expect(DeliveryOutcome.pointsLost("x").suggestedExitCode == 74)
    }
}
