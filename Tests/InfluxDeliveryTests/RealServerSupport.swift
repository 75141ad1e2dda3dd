import Foundation
import HTTPTransport
import InfluxDelivery
import Logging
import Testing
import TestSupport

/// Shared pieces of the real-server scenarios.
enum RealServers {
    static let binariesPresent = ["/usr/bin/influxd", "/usr/bin/victoria-metrics"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Missing binaries skip the tests only when `MODELWATCH_ALLOW_SKIP=1`; otherwise the tests run and fail.
    static let enabled: Bool = binariesPresent || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1"

    /// Fast retries so scenarios finish in seconds, with a real clock and real sleeps.
    static func policy(
        maxBatchLines: Int = 50, gzip: Bool = true, maxAttempts: Int = 8, retryBudget: Duration = .seconds(10)
    ) -> DeliveryPolicy {
        DeliveryPolicy(
            maxBatchLines: maxBatchLines, gzip: gzip, maxAttempts: maxAttempts, initialBackoff: .milliseconds(200),
            maxBackoff: .seconds(1), retryBudget: retryBudget, retryAfterCap: .seconds(3))
    }

    static func writer(
        url: String, api: InfluxAPI, credentials: InfluxCredentials = .none, policy: DeliveryPolicy, dir: TempDirectory,
        requestTimeout: Duration = .seconds(5)
    ) throws -> InfluxWriter {
        InfluxWriter(
            target: InfluxTarget(baseURL: url, api: api, credentials: credentials, connectTimeout: .seconds(1), requestTimeout: requestTimeout),
            policy: policy, spool: try Spool(directory: dir.path + "/spool"), deadLetterPath: dir.path + "/dead-letter.lp",
            transport: CurlTransport(), environment: .system,
            logger: Logger(label: "scenario", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}

/// Lost and duplicated points of one scenario, printed in the test output.
struct PointAudit: CustomStringConvertible {
    var scenario: String
    var expected: Int
    var stored: Int
    var lost: Int
    var duplicated: Int
    var unexpected: Int

    /// Compares `expectedKeys` with `storedKeys` (one entry per stored row; keys like `"<ms>|<idx>"`).
    init(_ scenario: String, expectedKeys: [String], storedKeys: [String]) {
        self.scenario = scenario
        let expectedSet = Set(expectedKeys)
        let storedSet = Set(storedKeys)
        expected = expectedSet.count
        stored = storedKeys.count
        lost = expectedSet.subtracting(storedSet).count
        duplicated = storedKeys.count - storedSet.count
        unexpected = storedSet.subtracting(expectedSet).count
    }

    var description: String {
        "[delivery scenario] \(scenario): expected=\(expected) stored=\(stored) lost=\(lost) duplicated=\(duplicated) unexpected=\(unexpected)"
    }

    func check(sourceLocation: SourceLocation = #_sourceLocation) {
        print(description)
        #expect(lost == 0, "\(description)", sourceLocation: sourceLocation)
        #expect(duplicated == 0, "\(description)", sourceLocation: sourceLocation)
        #expect(unexpected == 0, "\(description)", sourceLocation: sourceLocation)
    }
}

extension InfluxServer {
    /// Keys `"<ms>|<idx>"` of every stored `model_test` row of `series`.
    func storedKeys(database: String, series: String, user: String? = nil, password: String? = nil) throws -> [String] {
        let response = try query(
            "SELECT \"idx\", \"value\" FROM \"model_test\" WHERE \"series\" = '\(series)'", database: database, user: user, password: password)
        return response.rows.map { row in
            let time = Int64(row["time"]?.double ?? -1)
            let idx = Int(row["idx"]?.double ?? -1)
            return "\(time)|\(idx)"
        }
    }
}

extension Lines {
    /// The `"<ms>|<idx>"` keys of `Lines.points(count, from:)`.
    static func keys(_ count: Int, from first: Int = 0, baseMs: Int64 = 1_785_000_000_000) -> [String] {
        (first..<(first + count)).map { "\(baseMs + Int64($0) * 1000)|\($0)" }
    }
}
