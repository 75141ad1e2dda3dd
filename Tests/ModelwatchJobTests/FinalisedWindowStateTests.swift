import Foundation
@testable import ModelwatchConfiguration
@testable import ModelwatchSources
import Testing
@testable import ModelwatchJob

/// Which earlier as-of times a run evaluates to finalise the windows of skipped runs, bounded to 35 days.
@Suite("Finalised-window catch-up")
struct FinalisedWindowStateTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour
    static let asOf = ms("2026-11-20T00:00:00Z")

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let window: Int64
        let maturity: Int64
        /// The stored end, relative to the current final window's end (nil: nothing stored).
        let storedBeforeCurrent: Int64?
        let expectedCount: Int
        let capped: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "first run: nothing stored, nothing to catch up", window: day, maturity: 7 * day, storedBeforeCurrent: nil, expectedCount: 0, capped: false),
        Case(name: "daily runs on schedule", window: day, maturity: 7 * day, storedBeforeCurrent: day, expectedCount: 0, capped: false),
        Case(name: "a re-run of the same as-of time", window: day, maturity: 7 * day, storedBeforeCurrent: 0, expectedCount: 0, capped: false),
        Case(name: "an as-of time older than the stored end", window: day, maturity: 7 * day, storedBeforeCurrent: -3 * day, expectedCount: 0, capped: false),
        Case(name: "three skipped daily runs", window: day, maturity: 7 * day, storedBeforeCurrent: 4 * day, expectedCount: 3, capped: false),
        Case(name: "hourly model down for a day", window: hour, maturity: 6 * hour, storedBeforeCurrent: 25 * hour, expectedCount: 24, capped: false),
        Case(name: "a gap of exactly 35 days is caught up whole", window: day, maturity: 7 * day, storedBeforeCurrent: 36 * day, expectedCount: 35, capped: false),
        Case(name: "a 50-day gap is capped at 35 days", window: day, maturity: 7 * day, storedBeforeCurrent: 50 * day, expectedCount: 35, capped: true),
        Case(name: "an hourly model down for 40 days: 35 days of windows", window: hour, maturity: hour, storedBeforeCurrent: 40 * day, expectedCount: 35 * 24, capped: true),
    ]

    @Test("the as-of times caught up", arguments: cases)
    func catchUp(_ testCase: Case) throws {
        var model = try readerTestModel(scores: "/dev/null", labels: "/dev/null", numeric: [], categorical: [])
        model.windowSeconds = testCase.window / 1000
        model.maturitySeconds = testCase.maturity / 1000
        let plan = EvaluationPlan(asOfMs: Self.asOf, windowSeconds: model.windowSeconds, maturitySeconds: model.maturitySeconds, restateProvisional: true)
        let currentEnd = try #require(plan.finalWindow).range.endMs
        let result = FinalisedWindowState.catchUp(storedEndMs: testCase.storedBeforeCurrent.map { currentEnd - $0 }, plan: plan, model: model)
        #expect(result.asOfs.count == testCase.expectedCount)
        #expect(result.capped == testCase.capped)
        // One window apart, ending just before this run's own as-of time; each final window ends after the stored end.
        if let last = result.asOfs.last, let first = result.asOfs.first {
            #expect(last == Self.asOf - testCase.window)
            #expect(zip(result.asOfs, result.asOfs.dropFirst()).allSatisfy { $1 - $0 == testCase.window })
            #expect(first - testCase.maturity > currentEnd - testCase.storedBeforeCurrent!)
            #expect(first >= Self.asOf - FinalisedWindowState.maximumCatchUpMs)
        }
    }

    @Test("each model and destination has a file of its own, and a saved end loads back")
    func fileRoundTrip() throws {
        let directory = TemporaryDirectory()
        let a = FinalisedWindowState(stateDirectory: directory.path, model: "fraud", destination: "http://a:8086 v1 mw ")
        let b = FinalisedWindowState(stateDirectory: directory.path, model: "fraud", destination: "http://b:8086 v1 mw ")
        let c = FinalisedWindowState(stateDirectory: directory.path, model: "churn", destination: "http://a:8086 v1 mw ")
        #expect(Set([a.path, b.path, c.path]).count == 3)
        #expect(try a.load() == nil)
        try a.save(Self.asOf)
        #expect(try a.load() == Self.asOf)
        #expect(try b.load() == nil)
    }

    @Test("the destination key leaves out user information and query parameters")
    func destinationHasNoCredentials() {
        let influx = InfluxConfiguration(
            url: "https://user:secret@influx.example:8086/?token=abc", api: .v2(org: "o", bucket: "b"), credentials: .token("t0ken"),
            caBundle: nil, clientCertificate: nil, clientKey: nil, insecureSkipVerify: false, connectTimeoutSeconds: 1, requestTimeoutSeconds: 1)
        let key = FinalisedWindowState.destination(influx)
        #expect(!key.contains("secret") && !key.contains("abc") && !key.contains("t0ken") && !key.contains("user"), "\(key)")
        #expect(key.contains("influx.example:8086") && key.hasSuffix("v2 o b"))
    }
}
