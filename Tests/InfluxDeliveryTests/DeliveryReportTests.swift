import InfluxDelivery
import Testing

@Suite("Delivery reports of several calls read as one")
struct DeliveryReportTests {
    static func report(_ seed: Int, _ outcome: DeliveryOutcome) -> DeliveryReport {
        var report = DeliveryReport()
        report.pointsDelivered = 100 * seed
        report.pointsRejected = seed + 1
        report.pointsSpooled = seed + 2
        report.pointsReplayed = seed + 3
        report.pointsDroppedSpoolFull = seed + 4
        report.pointsLost = seed + 5
        report.retries = seed + 6
        report.requests = seed + 7
        report.batches = seed + 8
        report.spoolDepthBytes = 1000 * seed
        report.spoolFiles = seed
        report.outcome = outcome
        return report
    }

    @Test("absorb adds every count, keeps the worse outcome and takes the spool's state after the later call", arguments: [
        (DeliveryOutcome.delivered, DeliveryOutcome.delivered, DeliveryOutcome.delivered),
        (.temporaryFailure("down"), .delivered, .temporaryFailure("down")),
        (.delivered, .dataRejected("400"), .dataRejected("400")),
        (.configurationError("401"), .temporaryFailure("down"), .configurationError("401")),
        (.dataRejected("400"), .temporaryFailure("down"), .temporaryFailure("down")),
    ])
    func absorbSumsCounts(first: DeliveryOutcome, later: DeliveryOutcome, expected: DeliveryOutcome) {
        var total = Self.report(1, first)
        total.absorb(Self.report(2, later))
        #expect(total.pointsDelivered == 300)
        #expect(total.pointsRejected == 2 + 3)
        #expect(total.pointsSpooled == 3 + 4)
        #expect(total.pointsReplayed == 4 + 5)
        #expect(total.pointsDroppedSpoolFull == 5 + 6)
        #expect(total.pointsLost == 6 + 7)
        #expect(total.retries == 7 + 8)
        #expect(total.requests == 8 + 9)
        #expect(total.batches == 9 + 10)
        #expect(total.spoolDepthBytes == 2000 && total.spoolFiles == 2, "the spool as the later call left it")
        #expect(total.outcome == expected)
    }

    @Test("absorbing into an empty report gives the absorbed report")
    func emptyIsNeutral() {
        var total = DeliveryReport()
        let later = Self.report(3, .dataRejected("422"))
        total.absorb(later)
        #expect(total == later)
    }
}
