import Foundation
import HTTPTransport
import HiveServer2
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing

/// `scores.spark` / `labels.spark`: defaults, valid values, and each invalid one named by its key.
@Suite struct SparkConfigTests {
    static func yaml(scores: String, labels: String = "{url: http://spark:10001, user: mw, table: labels}", labelColumns: String = "{time: label_time}") -> String {
        """
        models:
          - name: fraud
            window: 1h
            maturity: 1h
            scores:
              spark: \(scores)
            labels:
              spark: \(labels)
              columns: \(labelColumns)
        """
    }

    static func parse(_ yaml: String, environment: [String: String] = ["MODELWATCH_SPARK_PASSWORD": "pw"]) throws -> JobConfiguration {
        try ConfigLoader.parse(yaml: yaml, file: "/tmp/modelwatch-spark-config.yaml", environment: environment)
    }

    @Test func defaultsAreTheCliservicePathBasicAuthFromTheEnvironmentAndVerifiedTLS() throws {
        let model = try Self.parse(Self.yaml(scores: "{url: 'https://spark:10001/', user: mw, table: 'parquet.`/lake/scores`'}")).models[0]
        let spark = try #require(model.scores.spark)
        #expect(spark.endpoint.url == "https://spark:10001/cliservice")
        #expect(spark.table == "parquet.`/lake/scores`")
        #expect(spark.key == "models[fraud].scores.spark")
        #expect(spark.endpoint.tls.insecureSkipVerify == false)
        #expect(spark.endpoint.queryTimeoutSeconds == 0)
        guard case .basic(let user, let password) = spark.endpoint.credentials else { Issue.record("not basic"); return }
        #expect(user == "mw" && password == "pw")
        #expect(model.scores.path == nil && model.scores.postgres == nil)
        #expect(model.labels.spark?.table == "labels")
    }

    @Test func aTokenFromItsVariableOrFileIsABearerAndTheHTTPPathIsKept() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spark-token-\(UUID().uuidString)")
        try "dapi-from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromEnv = try Self.parse(Self.yaml(scores: "{url: https://adb.example, http_path: /sql/1.0/warehouses/abc, token_env: DB_TOKEN, table: main.ml.scores, database: ml, query_timeout: 30m}"),
                                     environment: ["DB_TOKEN": "dapi-env", "MODELWATCH_SPARK_PASSWORD": "pw"]).models[0].scores.spark!
        #expect(fromEnv.endpoint.url == "https://adb.example/sql/1.0/warehouses/abc")
        #expect(fromEnv.endpoint.queryTimeoutSeconds == 1800)
        #expect(fromEnv.endpoint.sessionConfiguration.map { "\($0.0)=\($0.1)" } == ["use:database=ml"])
        guard case .bearer(let token) = fromEnv.endpoint.credentials else { Issue.record("not bearer"); return }
        #expect(token == "dapi-env")
        let fromFile = try Self.parse(Self.yaml(scores: "{url: https://adb.example, token_file: \(file.path), table: t}")).models[0].scores.spark!
        guard case .bearer(let fileToken) = fromFile.endpoint.credentials else { Issue.record("not bearer"); return }
        #expect(fileToken == "dapi-from-file")
    }

    @Test(arguments: [
        (yaml(scores: "{url: http://s, user: mw, table: t, password: hunter2}"), "models[fraud].scores.spark.password"),
        (yaml(scores: "{url: http://s, user: mw, table: t, token: abc}"), "models[fraud].scores.spark.token"),
        (yaml(scores: "{url: spark:10001, user: mw, table: t}"), "models[fraud].scores.spark.url"),
        (yaml(scores: "{url: 'http://mw:pw@spark:10001', user: mw, table: t}"), "models[fraud].scores.spark.url"),
        (yaml(scores: "{url: 'thrift://mw:hunter2@spark:10001', user: mw, table: t}"), "models[fraud].scores.spark.url"),  // never echoed: it holds a password
        (yaml(scores: "{url: http://s, table: t}"), "models[fraud].scores.spark.user"),
        (yaml(scores: "{url: http://s, user: mw}"), "models[fraud].scores.spark.table"),
        (yaml(scores: "{url: http://s, user: mw, table: 't; DROP TABLE x'}"), "models[fraud].scores.spark.table"),
        (yaml(scores: "{url: http://s, user: mw, table: t, connect_timeout: 0s}"), "models[fraud].scores.spark.connect_timeout"),
        (yaml(scores: "{url: http://s, user: mw, table: t, sslmode: require}"), "models[fraud].scores.spark.sslmode"),
        (yaml(scores: "{url: http://s, user: mw, table: t}", labelColumns: "{id: prediction_id}"), "models[fraud].labels.columns.time"),
    ])
    func invalidSettingsNameTheirKey(yaml: String, key: String) {
        do {
            _ = try Self.parse(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect((error as? ConfigError)?.key == key, "\(error)")
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test func aUserWithoutAPasswordIsRefusedBecauseSparkRejectsAnEmptyOne() {
        #expect { try Self.parse(Self.yaml(scores: "{url: http://s, user: mw, table: t}"), environment: [:]) } throws: {
            ($0 as? ConfigError)?.key == "models[fraud].scores.spark.password_env"
        }
    }

    @Test func aSparkSourceBesideAPathIsRefused() {
        let yaml = Self.yaml(scores: "{url: http://s, user: mw, table: t}").replacingOccurrences(of: "    scores:\n", with: "    scores:\n      path: scores.csv\n")
        #expect { try Self.parse(yaml) } throws: { ($0 as? ConfigError)?.key == "models[fraud].scores.spark" }
    }

    @Test func validateNamesTheSparkSourceInsteadOfReadingNothing() throws {
        let configuration = try Self.parse(Self.yaml(scores: "{url: http://127.0.0.1:9, user: mw, table: t}"))
        let report = SourceValidator.validate(configuration, asOfMs: 1_795_000_000_000)
        #expect(report.status == .configError)
        #expect(report.text.contains("models[fraud].scores.spark: a Spark source is evaluated in push-down by `modelwatch run` only"), "\(report.text)")
    }
}
