import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import Testing

/// A config that is valid on its own; invalid cases splice a fragment into it.
private func config(model extra: String = "", top: String = "", name: String = "m") -> String {
    """
    \(top)
    models:
      - name: \(name)
        window: 1h
        maturity: 1d
    \(extra.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        scores:
          path: data/scores.csv
          columns: {}
        labels:
          path: data/labels.csv
          columns: {}

    """
}

private let configFile = "/etc/modelwatch/model.yaml"

/// Parses `yaml` and returns the error, or nil when it parsed.
private func parseError(_ yaml: String, environment: [String: String] = [:]) -> ConfigError? {
    do {
        _ = try ConfigLoader.parse(yaml: yaml, file: configFile, environment: environment)
        return nil
    } catch {
        return error
    }
}

private func parse(_ yaml: String, environment: [String: String] = [:], file: String = configFile) throws -> JobConfiguration {
    try ConfigLoader.parse(yaml: yaml, file: file, environment: environment)
}

/// One invalid config and what its error must say.
struct InvalidConfig: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    var environment: [String: String] = [:]
    /// The exact key path (or environment variable) the error names.
    let key: String
    /// A fragment of the message.
    let fragment: String
    /// Whether the error names the config file (false for environment variables).
    var namesFile = true

    var testDescription: String { name }
}

private let invalidConfigs: [InvalidConfig] = [
    InvalidConfig(name: "missing models", yaml: "run:\n  max_bad_rows: 3\n", key: "models", fragment: "is required"),
    InvalidConfig(name: "empty model list", yaml: "models: []\n", key: "models", fragment: "at least one model"),
    InvalidConfig(name: "models is not a list", yaml: "models: {name: m}\n", key: "models", fragment: "expected a list"),
    InvalidConfig(name: "empty file", yaml: "# nothing here\n", key: "(file)", fragment: "empty"),
    InvalidConfig(name: "invalid YAML syntax", yaml: "models: [a, b\n  window: 1h\n", key: "(syntax)", fragment: "invalid YAML"),
    InvalidConfig(
        name: "window is not a duration",
        yaml: config().replacingOccurrences(of: "window: 1h", with: "window: 1x"),
        key: "models[m].window", fragment: "expected a duration such as 30s, 15m, 1h, 7d or 2w, got `1x`"),
    InvalidConfig(
        name: "zero window",
        yaml: config().replacingOccurrences(of: "window: 1h", with: "window: 0h"),
        key: "models[m].window", fragment: "expected a duration"),
    InvalidConfig(
        name: "missing window",
        yaml: config().replacingOccurrences(of: "    window: 1h\n", with: ""),
        key: "models[m].window", fragment: "is required"),
    InvalidConfig(
        name: "maturity not a multiple of the window",
        yaml: config().replacingOccurrences(of: "maturity: 1d", with: "maturity: 90m"),
        key: "models[m].maturity", fragment: "whole number of windows (1h)"),
    InvalidConfig(
        name: "threshold above 1", yaml: config(model: "thresholds: [0.5, 1.5]"),
        key: "models[m].thresholds[1]", fragment: "must be within [0, 1], got 1.5"),
    InvalidConfig(
        name: "negative threshold", yaml: config(model: "thresholds: [-0.1]"),
        key: "models[m].thresholds[0]", fragment: "within [0, 1]"),
    InvalidConfig(
        name: "duplicate thresholds", yaml: config(model: "thresholds: [0.5, 0.5]"),
        key: "models[m].thresholds", fragment: "duplicates"),
    InvalidConfig(
        name: "threshold is not a number", yaml: config(model: "thresholds: [high]"),
        key: "models[m].thresholds[0]", fragment: "expected a number, got `high`"),
    InvalidConfig(
        name: "top-k percent of zero", yaml: config(model: "top_k_percent: [5, 0]"),
        key: "models[m].top_k_percent[1]", fragment: "within (0, 100]"),
    InvalidConfig(
        name: "segment cap of zero", yaml: config(model: "segment_cap: 0"),
        key: "models[m].segment_cap", fragment: "within 1…1000"),
    InvalidConfig(
        name: "no categorical drift bin", yaml: config(model: "drift_category_bins: 0"),
        key: "models[m].drift_category_bins", fragment: "within 1…1000"),
    InvalidConfig(
        name: "more categorical drift bins than a profile stores", yaml: config(model: "drift_category_bins: 1001"),
        key: "models[m].drift_category_bins", fragment: "within 1…1000"),
    InvalidConfig(
        name: "unknown model key with a suggestion", yaml: config(model: "windw: 2h"),
        key: "models[m].windw", fragment: "unknown key (did you mean `window`?)"),
    InvalidConfig(
        name: "unknown top-level key with a suggestion", yaml: config(top: "delivry:\n  gzip: false"),
        key: "delivry", fragment: "did you mean `delivery`?"),
    InvalidConfig(
        name: "unknown column key", yaml: config().replacingOccurrences(of: "      columns: {}\n    labels", with: "      columns: {scor: s}\n    labels"),
        key: "models[m].scores.columns.scor", fragment: "did you mean `score`?"),
    InvalidConfig(
        name: "unknown key far from every allowed key", yaml: config(model: "colour: blue"),
        key: "models[m].colour", fragment: "unknown key; allowed keys:"),
    InvalidConfig(
        name: "token in the config file",
        yaml: config(top: "influx:\n  url: http://localhost:8086\n  token: s3cr3t-in-file"),
        key: "influx.token", fragment: "secrets do not belong in the config file"),
    InvalidConfig(
        name: "password in the config file",
        yaml: config(top: "influx:\n  url: http://localhost:8086\n  user: u\n  password: hunter2"),
        key: "influx.password", fragment: "INFLUX_PASSWORD"),
    InvalidConfig(
        name: "api v2 without org",
        yaml: config(top: "influx:\n  url: http://localhost:8086\n  api: v2\n  bucket: b"),
        key: "influx.org", fragment: "required for api v2"),
    InvalidConfig(
        name: "api v2 without bucket",
        yaml: config(top: "influx:\n  url: http://localhost:8086\n  api: v2\n  org: o"),
        key: "influx.bucket", fragment: "required for api v2"),
    InvalidConfig(
        name: "unknown api", yaml: config(top: "influx:\n  url: http://localhost:8086\n  api: v9"),
        key: "influx.api", fragment: "must be v1, v2 or v3, got `v9`"),
    InvalidConfig(
        name: "influx.url without a scheme", yaml: config(top: "influx:\n  url: localhost:8086"),
        key: "influx.url", fragment: "http:// or https://"),
    InvalidConfig(
        name: "INFLUX_URL that is not http(s)", yaml: config(top: "influx:\n  url: http://localhost:8086"),
        environment: ["INFLUX_URL": "ftp://metrics.example:21"],
        key: "INFLUX_URL", fragment: "must be an http:// or https:// URL with a host", namesFile: false),
    InvalidConfig(
        name: "an empty INFLUX_URL does not take the blame for a bad influx.url",
        yaml: config(top: "influx:\n  url: localhost:8086"), environment: ["INFLUX_URL": ""],
        key: "influx.url", fragment: "http:// or https://"),
    InvalidConfig(
        name: "password without a user", yaml: config(top: "influx:\n  url: http://localhost:8086"),
        environment: ["INFLUX_PASSWORD": "pw"], key: "INFLUX_USER", fragment: "no user", namesFile: false),
    InvalidConfig(
        name: "unreadable token file",
        yaml: config(top: "influx:\n  url: http://localhost:8086\n  token_file: /nonexistent/modelwatch/token"),
        key: "influx.token_file", fragment: "cannot read the secret file"),
    InvalidConfig(
        name: "duplicate model names",
        yaml: config() + "  - {name: m, window: 1d, maturity: 7d, scores: {path: s.csv, columns: {}}, labels: {path: l.csv, columns: {}}}\n",
        key: "models[1].name", fragment: "duplicate model name `m`"),
    InvalidConfig(
        name: "a model without a name is named by its position",
        yaml: config().replacingOccurrences(of: "  - name: m\n    window: 1h", with: "  - window: 1h"),
        key: "models[0].name", fragment: "is required"),
    InvalidConfig(
        name: "feature listed as numeric and categorical",
        yaml: config(model: "features:\n  numeric: [age, income]\n  categorical: [country, age]"),
        key: "models[m].features", fragment: "feature `age` is listed twice"),
    InvalidConfig(
        name: "unknown source format", yaml: config().replacingOccurrences(of: "path: data/scores.csv", with: "path: data/scores.csv\n      format: parquet"),
        key: "models[m].scores.format", fragment: "must be csv or jsonl"),
    InvalidConfig(
        name: "postgres label source without columns (its time column has no default)",
        yaml: config().replacingOccurrences(
            of: "path: data/labels.csv\n      columns: {}", with: "postgres: {database: d, user: u, table: labels}"),
        key: "models[m].labels.columns.time", fragment: "is required for a postgres label source"),
    InvalidConfig(
        name: "deployed_at is not a time", yaml: config(model: "deployed_at: last tuesday"),
        key: "models[m].deployed_at", fragment: "RFC 3339"),
    InvalidConfig(name: "batch of zero lines", yaml: config(top: "delivery:\n  batch_lines: 0"), key: "delivery.batch_lines", fragment: "within 1…1000000"),
    InvalidConfig(name: "retry budget is not a duration", yaml: config(top: "delivery:\n  retry_budget: soon"), key: "delivery.retry_budget", fragment: "expected a duration"),
    InvalidConfig(name: "bad-row fraction above 1", yaml: config(top: "run:\n  max_bad_row_fraction: 2"), key: "run.max_bad_row_fraction", fragment: "within [0, 1]"),
    InvalidConfig(name: "negative bad-row count", yaml: config(top: "run:\n  max_bad_rows: -1"), key: "run.max_bad_rows", fragment: "zero or more"),
    InvalidConfig(name: "unknown log format", yaml: config(top: "run:\n  log_format: xml"), key: "run.log_format", fragment: "text, logfmt or json"),
    InvalidConfig(name: "no thread", yaml: config(top: "run:\n  threads: 0"), key: "run.threads", fragment: "within 1…256, or auto"),
    InvalidConfig(name: "no stop grace", yaml: config(top: "run:\n  stop_grace: 0s"), key: "run.stop_grace", fragment: "got `0s`"),
    InvalidConfig(name: "a stop grace of a day", yaml: config(top: "run:\n  stop_grace: 1d"), key: "run.stop_grace", fragment: "within 1s…1h"),
    InvalidConfig(name: "threads neither a number nor auto", yaml: config(top: "run:\n  threads: all"), key: "run.threads", fragment: "all"),
    InvalidConfig(name: "expected interval of zero", yaml: config(model: "expected_interval: 0s"), key: "models[m].expected_interval", fragment: "got `0s`"),
    InvalidConfig(name: "expected interval not a duration", yaml: config(model: "expected_interval: daily"), key: "models[m].expected_interval", fragment: "expected a duration"),
]

@Suite("Config loading")
struct ConfigLoaderTests {
    @Test("an invalid config names the key at fault", arguments: invalidConfigs)
    func invalidConfigNamesTheKey(_ invalid: InvalidConfig) throws {
        let error = try #require(parseError(invalid.yaml, environment: invalid.environment), "the config parsed:\n\(invalid.yaml)")
        #expect(error.key == invalid.key, "\(error)")
        #expect(error.message.contains(invalid.fragment), "\(error)")
        if invalid.namesFile {
            #expect(error.file == configFile, "\(error)")
            #expect(error.description.hasPrefix("\(configFile): \(invalid.key): "))
        } else {
            #expect(error.file == nil, "\(error)")
        }
    }

    @Test("a secret in the config file is not repeated in the error")
    func secretIsNotEchoed() throws {
        let error = try #require(parseError(config(top: "influx:\n  url: http://localhost:8086\n  token: s3cr3t-in-file")))
        #expect(!error.description.contains("s3cr3t-in-file"))
    }

    @Test("a minimal config gets the documented defaults, columns included when scores.columns and labels.columns are left out")
    func defaults() throws {
        let configuration = try parse(config().replacingOccurrences(of: "      columns: {}\n", with: ""), environment: ["MODELWATCH_STATE_DIR": "/srv/state"])
        let model = try #require(configuration.models.first)
        #expect(model.name == "m")
        #expect(model.windowSeconds == 3600)
        #expect(model.maturitySeconds == 86_400)
        #expect(model.thresholds == [0.5])
        #expect(model.topKPercent == [])
        #expect(model.restateProvisional)
        #expect([model.minimumSamples.n, model.minimumSamples.positives, model.minimumSamples.negatives, model.minimumSamples.drift] as [Int] == [100, 10, 10, 200])
        #expect(model.segmentColumns == [])
        #expect(model.segmentCap == 20)
        #expect(model.topCategories == 10)
        #expect(model.driftCategoryBins == 20)
        #expect(model.staticVersion == "unversioned")
        #expect(model.referenceProfile == nil)
        #expect(model.numericFeatures == [] && model.categoricalFeatures == [])
        #expect(model.scores.idColumn == "prediction_id")
        #expect(model.scores.timeColumn == "prediction_time")
        #expect(model.scores.scoreColumn == "score")
        #expect(model.scores.versionColumn == nil)
        #expect(model.scores.format == nil)
        #expect(model.scores.timestampUnit == .undeclared)
        #expect(model.scores.timeZoneOffsetMinutes == nil)
        #expect(model.labels.idColumn == "prediction_id")
        #expect(model.labels.labelColumn == "label")
        #expect(model.labels.timeColumn == nil)

        #expect(configuration.influx == nil)
        let delivery = configuration.delivery
        #expect(delivery.batchLines == 5000)
        #expect(delivery.batchBytes == 4 << 20)
        #expect(delivery.gzip)
        #expect(delivery.retryBudgetSeconds == 60)
        // No delivery settings: the spool and the dead letters live in the config's own state directory.
        let state = configuration.stateDirectory
        #expect(state.hasPrefix("/srv/state/model-") && state.count == "/srv/state/model-".count + 16, "\(state)")
        #expect(delivery.spoolDirectory == state + "/spool")
        #expect(delivery.spoolMaxBytes == 1 << 30)
        #expect(delivery.deadLetterPath == state + "/dead-letter.lp")
        let run = configuration.run
        #expect(run.maxBadRows == 1000)
        #expect(run.threads == nil, "auto: the CPUs the process may use")
        #expect(run.maxBadRowFraction == 0.01)
        #expect(run.timeBudgetSeconds == 600)
        #expect(run.stopGraceSeconds == 20)
        #expect(run.logFormat == .text)
        #expect(configuration.sourceFile == configFile)
        #expect(configuration.fingerprint.count == 16)
    }

    @Test("expected_interval defaults to the window and is read as written", arguments: [(nil, Int64(3600)), ("1w", 604_800), ("90m", 5400)])
    func expectedInterval(_ text: String?, _ seconds: Int64) throws {
        let configuration = try parse(config(model: text.map { "expected_interval: \($0)" } ?? ""))
        #expect(configuration.models.first?.runIntervalSeconds == seconds)
    }

    @Test("an InfluxDB URL alone gets v1, database modelwatch, no credentials and default timeouts")
    func influxDefaults() throws {
        let influx = try #require(try parse(config(top: "influx:\n  url: http://localhost:8086")).influx)
        #expect(influx.url == "http://localhost:8086")
        #expect(influx.api == .v1(database: "modelwatch", retentionPolicy: nil))
        guard case .none = influx.credentials else { Issue.record("expected no credentials, got \(influx.credentials)"); return }
        #expect(!influx.insecureSkipVerify)
        #expect(influx.connectTimeoutSeconds == 5)
        #expect(influx.requestTimeoutSeconds == 30)
    }

    @Test("the environment overrides the file: INFLUX_URL, INFLUX_DATABASE, INFLUX_TOKEN")
    func environmentOverridesFile() throws {
        let directory = TemporaryDirectory()
        directory.write("token", "token-from-file\n")
        let yaml = config(top: "influx:\n  url: http://file-host:8086\n  database: from_file\n  token_file: token")
        let file = directory.file("model.yaml")

        let fromFile = try #require(try parse(yaml, file: file).influx)
        #expect(fromFile.url == "http://file-host:8086")
        #expect(fromFile.api == .v1(database: "from_file", retentionPolicy: nil))
        guard case .token("token-from-file") = fromFile.credentials else {
            Issue.record("expected the token from token_file (trimmed)"); return
        }

        let environment = ["INFLUX_URL": "https://env-host:8443", "INFLUX_DATABASE": "from_env", "INFLUX_TOKEN": "token-from-env"]
        let fromEnvironment = try #require(try parse(yaml, environment: environment, file: file).influx)
        #expect(fromEnvironment.url == "https://env-host:8443")
        #expect(fromEnvironment.api == .v1(database: "from_env", retentionPolicy: nil))
        guard case .token("token-from-env") = fromEnvironment.credentials else {
            Issue.record("expected INFLUX_TOKEN to win over token_file"); return
        }
    }

    @Test("empty environment variables do not override the file")
    func emptyEnvironmentIsIgnored() throws {
        let yaml = config(top: "influx:\n  url: http://file-host:8086\n  database: from_file")
        let influx = try #require(try parse(yaml, environment: ["INFLUX_URL": "", "INFLUX_DATABASE": "", "INFLUX_TOKEN": ""]).influx)
        #expect(influx.url == "http://file-host:8086")
        #expect(influx.api == .v1(database: "from_file", retentionPolicy: nil))
        guard case .none = influx.credentials else { Issue.record("an empty INFLUX_TOKEN is not a token"); return }
    }

    @Test("INFLUX_URL alone configures InfluxDB")
    func urlFromEnvironmentOnly() throws {
        let influx = try #require(try parse(config(), environment: ["INFLUX_URL": "http://127.0.0.1:8086"]).influx)
        #expect(influx.url == "http://127.0.0.1:8086")
    }

    @Test("the influx CLI's INFLUX_HOST sets the URL; INFLUX_URL wins over it, and either wins over influx.url", arguments: [
        (["INFLUX_HOST": "http://host-var:8086"], "http://host-var:8086"),
        (["INFLUX_HOST": "http://host-var:8086", "INFLUX_URL": "http://url-var:8086"], "http://url-var:8086"),
        (["INFLUX_HOST": "", "INFLUX_URL": "http://url-var:8086"], "http://url-var:8086"),
        (["INFLUX_HOST": ""], "http://file:8086"),
    ])
    func influxHost(_ environment: [String: String], _ expected: String) throws {
        let influx = try #require(try parse(config(top: "influx:\n  url: http://file:8086"), environment: environment).influx)
        #expect(influx.url == expected)
        let fromEnvironmentOnly = try parse(config(), environment: environment).influx?.url
        #expect(fromEnvironmentOnly == (expected == "http://file:8086" ? nil : expected))
    }

    @Test("an INFLUX_HOST that is not http(s) is reported under INFLUX_HOST")
    func badInfluxHost() throws {
        let error = try #require(parseError(config(), environment: ["INFLUX_HOST": "localhost:8086"]))
        #expect(error.key == "INFLUX_HOST" && error.file == nil, "\(error)")
    }

    @Test("the influx CLI's INFLUX_USERNAME sets the v1 user; INFLUX_USER wins over it, and either wins over influx.user", arguments: [
        (["INFLUX_USERNAME": "cli-user"], "cli-user"),
        (["INFLUX_USERNAME": "cli-user", "INFLUX_USER": "own-user"], "own-user"),
        (["INFLUX_USERNAME": ""], "file-user"),
    ])
    func influxUsername(_ environment: [String: String], _ expected: String) throws {
        let yaml = config(top: "influx:\n  url: http://localhost:8086\n  user: file-user")
        let influx = try #require(try parse(yaml, environment: environment.merging(["INFLUX_PASSWORD": "pw"]) { $1 }).influx)
        guard case .userPassword(let user, "pw") = influx.credentials else {
            Issue.record("expected user and password, got \(influx.credentials)"); return
        }
        #expect(user == expected)
    }

    @Test("api v2 takes org and bucket from the environment")
    func v2FromEnvironment() throws {
        let influx = try #require(try parse(
            config(top: "influx:\n  url: http://localhost:8086\n  api: v2"),
            environment: ["INFLUX_ORG": "acme", "INFLUX_BUCKET": "models"]).influx)
        #expect(influx.api == .v2(org: "acme", bucket: "models"))
    }

    @Test("user and password come from INFLUX_USER and a password file")
    func userPassword() throws {
        let directory = TemporaryDirectory()
        directory.write("secrets/pw", "  hunter2 \n")
        let yaml = config(top: "influx:\n  url: http://localhost:8086\n  password_file: secrets/pw")
        let influx = try #require(try parse(yaml, environment: ["INFLUX_USER": "writer"], file: directory.file("model.yaml")).influx)
        guard case .userPassword(user: "writer", password: "hunter2") = influx.credentials else {
            Issue.record("expected user writer with the trimmed password"); return
        }
    }

    @Test("secrets do not change the config fingerprint")
    func fingerprintExcludesSecrets() throws {
        let yaml = config(top: "influx:\n  url: http://localhost:8086")
        let a = try parse(yaml, environment: ["INFLUX_TOKEN": "one"])
        let b = try parse(yaml, environment: ["INFLUX_TOKEN": "two"])
        let c = try parse(yaml, environment: ["INFLUX_URL": "http://elsewhere:8086"])
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
    }

    @Test("relative paths resolve against the config file's directory; absolute ones are kept")
    func relativePaths() throws {
        let yaml = config(
            model: "reference_profile: ../profiles/m.json",
            top: "delivery:\n  spool_dir: spool\n  dead_letter: /var/lib/modelwatch/dead.lp"
        ).replacingOccurrences(of: "path: data/labels.csv", with: "path: /srv/labels/*.csv.gz")
        let configuration = try parse(yaml)
        let model = try #require(configuration.models.first)
        #expect(model.scores.path == "/etc/modelwatch/data/scores.csv")
        #expect(model.labels.path == "/srv/labels/*.csv.gz")
        #expect(model.referenceProfile == "/etc/profiles/m.json")
        #expect(configuration.delivery.spoolDirectory == "/etc/modelwatch/spool")
        #expect(configuration.delivery.deadLetterPath == "/var/lib/modelwatch/dead.lp")
    }

    @Test("MODELWATCH_SPOOL_DIR overrides delivery.spool_dir")
    func spoolFromEnvironment() throws {
        let configuration = try parse(config(top: "delivery:\n  spool_dir: spool"), environment: ["MODELWATCH_SPOOL_DIR": "/var/spool/mw"])
        #expect(configuration.delivery.spoolDirectory == "/var/spool/mw")
    }

    @Test("explicit settings are read as written", arguments: [
        ("window: 15m\nmaturity: 2h", Int64(900), Int64(7200)),
        ("window: 1d\nmaturity: 2w", Int64(86_400), Int64(14 * 86_400)),
        ("window: 90s\nmaturity: 90s", Int64(90), Int64(90)),
    ])
    func durations(_ lines: String, _ window: Int64, _ maturity: Int64) throws {
        let yaml = config().replacingOccurrences(of: "    window: 1h\n    maturity: 1d\n", with: lines.split(separator: "\n").map { "    \($0)\n" }.joined())
        let model = try #require(try parse(yaml).models.first)
        #expect(model.windowSeconds == window)
        #expect(model.maturitySeconds == maturity)
    }

    @Test("model settings, columns and delivery options are read as written")
    func explicitSettings() throws {
        let yaml = config(
            model: """
                version: v7
                restate_provisional: false
                thresholds: [0.25, 0.75]
                top_k_percent: [1, 5.5]
                minimum_samples: {n: 10, positives: 2, negatives: 3, drift: 50}
                segments: [region, channel]
                segment_cap: 5
                top_categories: 0
                drift_category_bins: 50
                features:
                  numeric: [age]
                  categorical: [country]
                """,
            top: "delivery:\n  batch_lines: 100\n  gzip: no\n  retry_budget: 2m\nrun:\n  max_bad_rows: 0\n  log_format: json\n  threads: 3\n  stop_grace: 45s"
        )
        .replacingOccurrences(of: "path: data/scores.csv\n      columns: {}", with: "path: s.jsonl\n      format: jsonl\n      timestamp_unit: seconds\n      columns: {id: id, time: ts, score: p, version: model_version}")
        .replacingOccurrences(of: "path: data/labels.csv\n      columns: {}", with: "path: l.csv\n      columns: {id: id, label: y, time: observed}")
        let configuration = try parse(yaml)
        let model = try #require(configuration.models.first)
        #expect(model.staticVersion == "v7")
        #expect(!model.restateProvisional)
        #expect(model.thresholds == [0.25, 0.75])
        #expect(model.topKPercent == [1, 5.5])
        #expect([model.minimumSamples.n, model.minimumSamples.positives, model.minimumSamples.negatives, model.minimumSamples.drift] as [Int] == [10, 2, 3, 50])
        #expect(model.segmentColumns == ["region", "channel"])
        #expect(model.segmentCap == 5)
        #expect(model.topCategories == 0)
        #expect(model.driftCategoryBins == 50)
        #expect(model.numericFeatures == ["age"] && model.categoricalFeatures == ["country"])
        #expect(model.scores.format == .jsonl)
        #expect(model.scores.timestampUnit == .seconds)
        #expect([model.scores.idColumn, model.scores.timeColumn, model.scores.scoreColumn] == ["id", "ts", "p"])
        #expect(model.scores.versionColumn == "model_version")
        #expect([model.labels.idColumn, model.labels.labelColumn] == ["id", "y"])
        #expect(model.labels.timeColumn == "observed")
        #expect(configuration.delivery.batchLines == 100)
        #expect(!configuration.delivery.gzip)
        #expect(configuration.delivery.retryBudgetSeconds == 120)
        #expect(configuration.run.maxBadRows == 0)
        #expect(configuration.run.logFormat == .json)
        #expect(configuration.run.threads == 3)
        #expect(configuration.run.stopGraceSeconds == 45)
        #expect(try parse(config(top: "run:\n  threads: auto")).run.threads == nil)
    }

    @Test("load reports an unreadable file under --config")
    func unreadableFile() {
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: "/nonexistent/modelwatch.yaml", environment: [:]) }
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/modelwatch.yaml", environment: [:])
        } catch {
            #expect(error.key == "--config")
            #expect(error.message.contains("/nonexistent/modelwatch.yaml"))
        }
    }
}
