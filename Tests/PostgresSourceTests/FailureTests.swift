import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import PostgresSource
import Testing
import TestSupport

/// Bad settings exit 78 naming the config key, never printing the password; a lost connection exits 75
/// with no metric point written.
@Suite("PostgreSQL source failures", .serialized, .enabled(if: Postgres.enabled, "PostgreSQL missing and MODELWATCH_ALLOW_SKIP=1"))
struct FailureTests {
    static let asOf = "2026-11-20T00:00:00Z"

    /// `rows` predictions spread over the day before the as-of time, each with a label an hour later.
    static func createTables(_ server: PostgresServer, rows: Int = 2000) throws {
        try server.psql("""
            CREATE TABLE scores AS SELECT 'p' || i AS prediction_id,
                timestamptz '2026-11-19 00:00:00+00' + (i * 86400.0 / \(rows)) * interval '1 second' AS prediction_time,
                ((i::bigint * 7919) % 1000) / 1000.0::double precision AS score
              FROM generate_series(0, \(rows - 1)) AS i;
            CREATE TABLE labels AS SELECT prediction_id, (score + random() * 0.5 > 0.7)::int AS label,
                prediction_time + interval '1 hour' AS label_time FROM scores;
            CREATE INDEX ON scores (prediction_time);
            CREATE INDEX ON labels (label_time);
            """, database: "modelwatch")
    }

    static func yaml(_ server: PostgresServer, scores: String = "table: scores", labels: String = "table: labels",
                     scoreColumn: String = "score", extra: String = "", mode: String = "exact") -> String {
        """
        models:
          - name: fraud
            window: 1h
            maturity: 1h
            scores:
              postgres: \(Postgres.block(server, scores, extra: extra.isEmpty ? "mode: \(mode)" : extra + ", mode: \(mode)"))
              columns: {id: prediction_id, time: prediction_time, score: \(scoreColumn)}
            labels:
              postgres: \(Postgres.block(server, labels, extra: extra))
              columns: {id: prediction_id, label: label, time: label_time}
        """
    }

    /// Runs a config and returns the model's status and message, and the written lines.
    static func run(_ yaml: String, environment: [String: String], directory: URL) throws -> (ModelwatchSources.ExitStatus, String, [String]) {
        let (report, lines) = try Job.run(
            configPath: directory.appendingPathComponent("modelwatch.yaml").path, yaml: yaml, environment: environment,
            asOf: asOf, output: directory.appendingPathComponent("out.lp"))
        return (report.exitStatus, report.models.first?.message ?? "", lines)
    }

    @Test("a healthy small table runs (the baseline of the failure cases)")
    func baseline() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        try Self.createTables(server)
        let directory = try temporaryDirectory("pg-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, message, lines) = try Self.run(Self.yaml(server), environment: Postgres.environment(server), directory: directory)
        #expect(status == .ok, "\(message)")
        #expect(lines.contains { $0.hasPrefix("modelwatch_performance,") })
    }

    @Test("wrong password, unknown host, unknown database, missing table, missing column, bad query: exit 78 naming the key, no password in the message")
    func configurationErrors() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        try Self.createTables(server)
        let directory = try temporaryDirectory("pg-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let wrongPassword = "Wr0ng-s3cret-\(UUID().uuidString.prefix(6))"
        let cases: [(name: String, yaml: String, environment: [String: String], key: String)] = [
            ("wrong password", Self.yaml(server), ["MODELWATCH_PG_PASSWORD": wrongPassword], "models[fraud].scores.postgres"),
            ("unknown host", Self.yaml(server).replacingOccurrences(of: "host: 127.0.0.1", with: "host: no-such-host.invalid"),
             Postgres.environment(server), "models[fraud].scores.postgres"),
            ("unknown database", Self.yaml(server).replacingOccurrences(of: "database: modelwatch", with: "database: nope"),
             Postgres.environment(server), "models[fraud].scores.postgres"),
            ("missing table", Self.yaml(server, scores: "table: scorez"), Postgres.environment(server), "models[fraud].scores.postgres.table"),
            ("missing column", Self.yaml(server, scoreColumn: "scr"), Postgres.environment(server), "models[fraud].scores.columns.score"),
            ("query without the column", Self.yaml(server, labels: #"query: "SELECT prediction_id, label_time FROM labels WHERE label_time >= $1""#),
             Postgres.environment(server), "models[fraud].labels.columns.label"),
            ("query syntax error", Self.yaml(server, scores: #"query: "SELEKT * FROM scores WHERE prediction_time >= $1""#),
             Postgres.environment(server), "models[fraud].scores.postgres.query"),
        ]
        for item in cases {
            let (status, message, lines) = try Self.run(item.yaml, environment: item.environment, directory: directory)
            #expect(status == .configError, "\(item.name): \(status) \(message)")
            #expect(message.contains(item.key), "\(item.name): \(message)")
            #expect(!message.contains(wrongPassword) && !message.contains(server.password), "\(item.name): \(message)")
            #expect(Job.metricLines(lines).isEmpty, "\(item.name)")
        }
    }

    @Test("validate checks the connection, the table and the columns")
    func validate() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        try Self.createTables(server)
        let asOfMs = TimeText.parseRFC3339(Self.asOf)!
        let good = try ConfigLoader.parse(yaml: Self.yaml(server), file: "/tmp/modelwatch.yaml", environment: Postgres.environment(server))
        let ok = SourceValidator.validate(good, asOfMs: asOfMs)
        #expect(ok.status == .ok, "\(ok.text)")
        #expect(ok.text.contains("scores: 166 rows read, 166 in the evaluated range"), "\(ok.text)")  // only the read range is fetched
        let bad = try ConfigLoader.parse(yaml: Self.yaml(server, scoreColumn: "scr"), file: "/tmp/modelwatch.yaml", environment: Postgres.environment(server))
        let failed = SourceValidator.validate(bad, asOfMs: asOfMs)
        #expect(failed.status == .configError)
        #expect(failed.text.contains("models[fraud].scores.columns.score: table scores has no column \"scr\""), "\(failed.text)")
    }

    @Test("a server that is down exits 75 (retry next run), not 78")
    func unreachable() throws {
        let directory = try temporaryDirectory("pg-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Postgres.start()
        let yaml = Self.yaml(server)
        server.stop()
        let (status, message, _) = try Self.run(yaml, environment: ["MODELWATCH_PG_PASSWORD": "x"], directory: directory)
        #expect(status == .temporaryFailure, "\(message)")
        #expect(message.contains("models[fraud].scores.postgres"))
    }

    @Test("config errors name the key: a password in the file, both path and postgres, neither, a bad sslmode, labels without time")
    func configKeys() throws {
        let server = try Postgres.start()
        defer { server.stop() }
        let base = Self.yaml(server)
        let cases: [(String, String)] = [
            (base.replacingOccurrences(of: "sslmode: disable, table: scores", with: "sslmode: disable, table: scores, password: hunter2"), "models[fraud].scores.postgres.password"),
            (base.replacingOccurrences(of: "sslmode: disable, table: scores", with: "sslmode: sometimes, table: scores"), "models[fraud].scores.postgres.sslmode"),
            (base.replacingOccurrences(of: "    scores:\n", with: "    scores:\n      path: scores.csv\n"), "models[fraud].scores.postgres"),
            (base.replacingOccurrences(of: "table: scores, mode: exact}", with: "mode: exact}"), "models[fraud].scores.postgres.table"),
            (base.replacingOccurrences(of: ", time: label_time}", with: "}"), "models[fraud].labels.columns.time"),
            (base.replacingOccurrences(of: "table: labels}", with: "table: labels, mode: pushdown}"), "models[fraud].labels.postgres.mode"),
        ]
        for (yaml, key) in cases {
            do {
                _ = try ConfigLoader.parse(yaml: yaml, file: "/tmp/modelwatch.yaml", environment: [:])
                Issue.record("accepted: expected an error at \(key)")
            } catch {
                #expect(error.description.contains(key), "\(error.description)")
                #expect(!error.description.contains("hunter2"))
            }
        }
    }

    @Test("the connection terminated mid-read (pg_terminate_backend) exits 75 and writes no metric point", arguments: ["exact", "pushdown"])
    func droppedMidRun(mode: String) throws {
        let server = try Postgres.start()
        defer { server.stop() }
        try Self.createTables(server, rows: 400_000)
        let directory = try temporaryDirectory("pg-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let admin = try Postgres.connect(server, applicationName: "modelwatch-test-admin")
        /// Shared with the killer thread; the main thread only reads `terminated` after the thread finished.
        final class Flag: @unchecked Sendable {
            let admin: PostgresConnection
            var terminated = 0
            var stop = false
            init(_ admin: PostgresConnection) { self.admin = admin }
        }
        let flag = Flag(admin)
        let killer = Thread {
            // Wait until modelwatch's session is fetching from its cursor, then terminate it.
            while !flag.stop, flag.terminated == 0 {
                let rows = (try? flag.admin.query("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = 'modelwatch' AND query LIKE 'FETCH%' AND pid <> pg_backend_pid()
                    """)) ?? []
                flag.terminated += rows.count
                if rows.isEmpty { usleep(2_000) }
            }
        }
        killer.start()
        let (status, message, lines) = try Self.run(Self.yaml(server, mode: mode), environment: Postgres.environment(server), directory: directory)
        flag.stop = true
        while !killer.isFinished { usleep(1_000) }
        #expect(flag.terminated > 0)
        #expect(status == .temporaryFailure, "\(message)")
        #expect(message.contains("models[fraud].scores.postgres.table"), "\(message)")
        // Only the heartbeat (status temporary_failure) is written; no metric point of the model.
        #expect(Job.metricLines(lines).isEmpty)
        let heartbeats = lines.filter { $0.hasPrefix("modelwatch_run,") }
        #expect(heartbeats.count == 1 && heartbeats[0].contains("status=\"temporary_failure\""), "\(lines)")
    }
}
