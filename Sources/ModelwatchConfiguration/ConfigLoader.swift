import DriftMetrics
import Foundation
import InfluxDelivery
import InputParsing
import MetricSchema
import PostgresSource
import Yams

/// Reads a YAML config file and resolves it, with the environment, into one ``JobConfiguration``.
///
/// Precedence: command-line overrides (applied by the caller afterwards), then environment variables,
/// then the file. Secrets (tokens, passwords) come only from the environment or from files named in the
/// config, never from the config text itself or from the command line.
public enum ConfigLoader {
    /// Environment variables modelwatch reads.
    public enum Env {
        public static let url = "INFLUX_URL"
        public static let token = "INFLUX_TOKEN"
        public static let tokenFile = "INFLUX_TOKEN_FILE"
        public static let passwordFile = "INFLUX_PASSWORD_FILE"
        public static let user = "INFLUX_USER"
        public static let password = "INFLUX_PASSWORD"
        public static let database = "INFLUX_DATABASE"
        public static let org = "INFLUX_ORG"
        public static let bucket = "INFLUX_BUCKET"
        public static let api = "INFLUX_API"
        public static let spoolDirectory = "MODELWATCH_SPOOL_DIR"
        /// Default variable holding a PostgreSQL source's password (`postgres.password_env` names another).
        public static let postgresPassword = "MODELWATCH_PG_PASSWORD"
        /// The influx CLI's name for the URL; `INFLUX_URL` wins when both are set.
        public static let host = "INFLUX_HOST"
        /// The influx CLI's name for the v1 user; `INFLUX_USER` wins when both are set.
        public static let username = "INFLUX_USERNAME"
    }

    /// The first of `variables` set to a non-empty value, with its name.
    private static func firstSet(_ variables: [String], in environment: [String: String]) -> (name: String, value: String)? {
        for name in variables {
            if let value = environment[name], !value.isEmpty { return (name, value) }
        }
        return nil
    }

    /// Loads and validates the config at `path`; `stateRoot` defaults to ``StateDirectory/live(environment:)``.
    public static func load(path: String, environment: [String: String], stateRoot: StateDirectory? = nil) throws(ConfigError) -> JobConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try FileAccessError.read(path)
        } catch {
            throw ConfigError(key: "--config", "cannot read the config file \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } ?? 0
            throw ConfigError(key: "--config", "the config file `\(path)` is not UTF-8 (an invalid byte at offset \(offset))")
        }
        return try parse(yaml: text, file: path, environment: environment, stateRoot: stateRoot)
    }

    /// Parses config text; relative paths in it are resolved against the file's directory. `stateRoot` defaults
    /// to ``StateDirectory/live(environment:)``.
    public static func parse(yaml text: String, file: String, environment: [String: String], stateRoot: StateDirectory? = nil) throws(ConfigError) -> JobConfiguration {
        let rootNode: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(key: "(file)", "the config file is empty", file: file)
            }
            rootNode = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError(key: "(syntax)", "invalid YAML: \(error)", file: file)
        } catch {
            throw ConfigError(key: "(syntax)", "invalid YAML: \(error)", file: file)
        }
        let root = ConfigNode(node: rootNode, path: "", file: file)
        try root.rejectDuplicateKeys()
        try root.allowOnly(["influx", "delivery", "run", "models"])
        let baseDirectory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let resolve = { (relative: String) -> String in
            relative.hasPrefix("/") ? relative : URL(fileURLWithPath: baseDirectory).appendingPathComponent(relative).standardized.path
        }

        let models = try parseModels(root.required("models"), resolve: resolve, environment: environment)
        let influx = try parseInflux(root.optional("influx"), environment: environment, file: file, resolve: resolve)
        let state: StateDirectory
        if let stateRoot { state = stateRoot } else { state = try StateDirectory.live(environment: environment) }
        let stateDirectory = state.directory(forConfig: file)
        let delivery = try parseDelivery(root.optional("delivery"), environment: environment, resolve: resolve, stateDirectory: stateDirectory)
        let run = try parseRun(root.optional("run"))
        var fingerprintInput = text
        if let influx { fingerprintInput += "|\(URLUserInfo.split(influx.url).url)|\(influx.api)" }  // never the URL's credentials
        return JobConfiguration(
            models: models, influx: influx, delivery: delivery, run: run,
            fingerprint: Fingerprint.fnv1a64Hex(fingerprintInput), sourceFile: file, stateDirectory: stateDirectory
        )
    }

    // MARK: - Models

    private static func parseModels(_ node: ConfigNode, resolve: (String) -> String, environment: [String: String]) throws(ConfigError) -> [ModelConfiguration] {
        let items = try node.list
        guard !items.isEmpty else { throw node.error("needs at least one model") }
        var models: [ModelConfiguration] = []
        var names = Set<String>()
        for item in items {
            let model = try parseModel(item, resolve: resolve, environment: environment)
            guard names.insert(model.name).inserted else {
                throw item.error("duplicate model name `\(model.name)`", key: "name")
            }
            models.append(model)
        }
        return models
    }

    private static func parseModel(_ item: ConfigNode, resolve: (String) -> String, environment: [String: String]) throws(ConfigError) -> ModelConfiguration {
        // Keys are named after the model (`models[fraud].window`), as in every later message; the index
        // (`models[0]`) only while the model has no usable name.
        let nameNode = try item.required("name")
        let name = try nameNode.string
        guard !name.isEmpty, name.utf8.count <= 128, !name.contains(where: \.isNewline) else {
            throw nameNode.error("must be 1–128 characters without line breaks")
        }
        let node = ConfigNode(node: item.node, path: ModelConfiguration.key(name), file: item.file)
        try node.allowOnly([
            "name", "version", "window", "maturity", "restate_provisional", "thresholds", "top_k_percent",
            "minimum_samples", "segments", "segment_cap", "top_categories", "drift_category_bins", "reference_profile", "scores", "labels",
            "features", "deployed_at", "max_model_age_days", "expected_interval",
            "alert_thresholds",
            "task", "classes", "class_cap", "top_k_accuracy",
            "estimation",
        ])
        var task = ModelTask.binary
        if let taskNode = try node.optional("task") {
            guard let parsed = ModelTask(rawValue: try taskNode.string) else { throw taskNode.error("must be binary, regression or multiclass") }
            task = parsed
        }
        let windowNode = try node.required("window")
        let window = try windowNode.durationSeconds
        let maturityNode = try node.required("maturity")
        let maturity = try maturityNode.durationSeconds
        guard maturity % window == 0 else {
            throw maturityNode.error("must be a whole number of windows (\(DurationText.format(window))) so performance windows stay aligned")
        }
        guard maturity / window <= 10_000 else {
            throw maturityNode.error("is more than 10000 windows of \(DurationText.format(window)); use a longer window")
        }
        var thresholds = task == .binary ? [0.5] : []
        if task != .binary {
            for key in ["thresholds", "top_k_percent", "estimation"] where try node.optional(key) != nil {
                throw node.error("applies to binary models only (this model's task is \(task.rawValue))", key: key)
            }
        }
        if let thresholdsNode = try node.optional("thresholds") {
            thresholds = try thresholdsNode.doubleList
            for (index, value) in thresholds.enumerated() where !(0...1).contains(value) {
                throw ConfigError(key: "\(thresholdsNode.path)[\(index)]", "must be within [0, 1], got \(value)", file: node.file)
            }
            guard Set(thresholds).count == thresholds.count else { throw thresholdsNode.error("contains duplicates") }
        }
        var topK: [Double] = []
        if let topKNode = try node.optional("top_k_percent") {
            topK = try topKNode.doubleList
            for (index, value) in topK.enumerated() where !(value > 0 && value <= 100) {
                throw ConfigError(key: "\(topKNode.path)[\(index)]", "must be within (0, 100], got \(value)", file: node.file)
            }
        }
        var minimum = MinimumSamples(n: 100, positives: 10, negatives: 10)
        if let minimumNode = try node.optional("minimum_samples") {
            try minimumNode.allowOnly(["n", "positives", "negatives", "drift", "per_class"])
            if task != .binary {
                for key in ["positives", "negatives"] where try minimumNode.optional(key) != nil {
                    throw minimumNode.error("applies to binary models only (this model's task is \(task.rawValue))", key: key)
                }
            }
            if task != .multiclass, try minimumNode.optional("per_class") != nil {
                throw minimumNode.error("applies to multiclass models only", key: "per_class")
            }
            if let value = try minimumNode.optional("n") { minimum.n = try nonNegative(value) }
            if let value = try minimumNode.optional("positives") { minimum.positives = try nonNegative(value) }
            if let value = try minimumNode.optional("negatives") { minimum.negatives = try nonNegative(value) }
            if let value = try minimumNode.optional("drift") { minimum.drift = try nonNegative(value) }
        }
        let segments = try node.optional("segments")?.stringList ?? []
        var segmentCap = 20
        if let capNode = try node.optional("segment_cap") {
            segmentCap = try capNode.int
            guard (1...1000).contains(segmentCap) else { throw capNode.error("must be within 1…1000") }
        }
        var topCategories = 10
        if let topNode = try node.optional("top_categories") {
            topCategories = try topNode.int
            guard (0...100).contains(topCategories) else { throw topNode.error("must be within 0…100") }
        }
        var driftCategoryBins = CategoricalDrift.defaultBinnedCategories
        if let binsNode = try node.optional("drift_category_bins") {
            driftCategoryBins = try binsNode.int
            guard (1...CategoricalFeatureProfile.defaultMaxCategories).contains(driftCategoryBins) else {
                throw binsNode.error("must be within 1…\(CategoricalFeatureProfile.defaultMaxCategories) (the categories a reference profile stores)")
            }
        }
        let scoresNode = try node.required("scores")
        let scores = try parseScores(scoresNode, resolve: resolve, environment: environment, task: task)
        let labels = try parseLabels(try node.required("labels"), resolve: resolve, environment: environment)
        if task != .binary, scores.spark != nil {
            throw scoresNode.error("a Spark source is a push-down, which evaluates binary models only; read a \(task.rawValue) model from files or postgres", key: "spark")
        }
        var multiclass: MulticlassOptions?
        if task == .multiclass {
            multiclass = try parseMulticlass(node, scores: scoresNode, hasProfile: try node.optional("reference_profile") != nil)
        } else {
            for key in ["classes", "class_cap", "top_k_accuracy"] where try node.optional(key) != nil {
                throw node.error("applies to multiclass models only (this model's task is \(task.rawValue))", key: key)
            }
        }
        var numeric: [String] = []
        var categorical: [String] = []
        if let features = try node.optional("features") {
            try features.allowOnly(["numeric", "categorical"])
            numeric = try features.optional("numeric")?.stringList ?? []
            categorical = try features.optional("categorical")?.stringList ?? []
            let all = numeric + categorical
            if let duplicate = Dictionary(grouping: all, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw features.error("feature `\(duplicate)` is listed twice")
            }
        }
        var deployedAt: Int64?
        if let deployedNode = try node.optional("deployed_at") {
            guard let ms = TimeText.parseRFC3339(try deployedNode.string) else {
                throw deployedNode.error("expected an RFC 3339 time such as 2026-11-01T00:00:00Z")
            }
            deployedAt = ms
        }
        var maxAge: Double?
        if let ageNode = try node.optional("max_model_age_days") {
            maxAge = try ageNode.double
            guard maxAge! > 0 else { throw ageNode.error("must be positive") }
        }
        var expectedInterval: Int64 = 0
        if let intervalNode = try node.optional("expected_interval") {
            expectedInterval = try intervalNode.durationSeconds
            guard expectedInterval > 0 else { throw intervalNode.error("must be positive") }
        }
        var model = ModelConfiguration(
            name: name,
            staticVersion: try node.optional("version")?.string ?? "unversioned",
            windowSeconds: window, maturitySeconds: maturity,
            restateProvisional: try node.optional("restate_provisional")?.bool ?? true,
            thresholds: thresholds, topKPercent: topK, minimumSamples: minimum,
            segmentColumns: segments, segmentCap: segmentCap, topCategories: topCategories, driftCategoryBins: driftCategoryBins,
            referenceProfile: try node.optional("reference_profile").map { node throws(ConfigError) in resolve(try node.string) },
            scores: scores, labels: labels, numericFeatures: numeric, categoricalFeatures: categorical,
            deployedAtMs: deployedAt, maxModelAgeDays: maxAge
        )
        model.expectedIntervalSeconds = expectedInterval
        model.task = task
        model.multiclass = multiclass
        if let perClass = try node.optional("minimum_samples")?.optional("per_class") {
            model.multiclass?.minimumPerClass = try nonNegative(perClass)
        }
        if let thresholdsNode = try node.optional("alert_thresholds") {
            model.alertThresholds = try AlertThresholds.parse(thresholdsNode, task: task)
        }
        if let estimationNode = try node.optional("estimation") {
            model.estimation = try EstimationConfiguration.parse(estimationNode)
        }
        return model
    }

    /// `classes`, `class_cap`, `top_k_accuracy` and `scores.columns.probabilities` of a multiclass model.
    private static func parseMulticlass(_ node: ConfigNode, scores: ConfigNode, hasProfile: Bool) throws(ConfigError) -> MulticlassOptions {
        var options = MulticlassOptions()
        if let capNode = try node.optional("class_cap") {
            options.classCap = try capNode.int
            guard (2...100).contains(options.classCap) else { throw capNode.error("must be within 2…100") }
        }
        if let classesNode = try node.optional("classes") {
            options.classes = try classesNode.stringList
            for (index, name) in options.classes.enumerated() where name.isEmpty || name == Tags.otherValue {
                throw ConfigError(key: "\(classesNode.path)[\(index)]", "must be a non-empty class name other than `\(Tags.otherValue)`", file: node.file)
            }
            if let duplicate = Dictionary(grouping: options.classes, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw classesNode.error("class `\(duplicate)` is listed twice")
            }
            guard options.classes.count >= 2 else { throw classesNode.error("needs at least two classes") }
            guard options.classes.count <= options.classCap else {
                throw classesNode.error("lists \(options.classes.count) classes, more than class_cap (\(options.classCap)); raise class_cap or shorten the list")
            }
        } else if !hasProfile {
            throw node.error("is required for a multiclass model without a reference_profile (whose predicted classes would give the list)", key: "classes")
        }
        if let columns = try scores.optional("columns"), let probabilities = try columns.optional("probabilities") {
            guard case .mapping(let mapping) = probabilities.node else {
                throw probabilities.error("expected a mapping of class name to probability column")
            }
            for (key, value) in mapping {
                let className = key.string ?? "\(key)"
                guard let column = value.string, !column.isEmpty else {
                    throw probabilities.error("expected a column name", key: className)
                }
                options.probabilityColumns.append(.init(className: className, column: column))
            }
            if !options.classes.isEmpty {
                let given = Set(options.probabilityColumns.map(\.className))
                if let missing = options.classes.first(where: { !given.contains($0) }) {
                    throw probabilities.error("has no column for class `\(missing)`; give one per class of `classes`")
                }
                if let extra = options.probabilityColumns.first(where: { !options.classes.contains($0.className) }) {
                    throw probabilities.error("class `\(extra.className)` is not in `classes`", key: extra.className)
                }
                options.probabilityColumns.sort { options.classes.firstIndex(of: $0.className)! < options.classes.firstIndex(of: $1.className)! }
            }
        }
        if let topKNode = try node.optional("top_k_accuracy") {
            options.topK = try topKNode.int
            guard options.topK >= 1 else { throw topKNode.error("must be at least 1") }
            guard !options.probabilityColumns.isEmpty else {
                throw topKNode.error("needs scores.columns.probabilities (top-k accuracy ranks the class probabilities)")
            }
        }
        return options
    }

    private static func nonNegative(_ node: ConfigNode) throws(ConfigError) -> Int {
        let value = try node.int
        guard value >= 0 else { throw node.error("must be zero or more") }
        return value
    }

    private static func parseFormat(_ node: ConfigNode?) throws(ConfigError) -> SourceFormat? {
        guard let node else { return nil }
        guard let format = SourceFormat(rawValue: try node.string) else { throw node.error("must be csv or jsonl") }
        return format
    }

    private static func parseUnit(_ node: ConfigNode?) throws(ConfigError) -> TimestampUnitOption {
        guard let node else { return .undeclared }
        guard let unit = TimestampUnitOption(rawValue: try node.string), unit != .undeclared else {
            throw node.error("must be seconds, milliseconds, microseconds, nanoseconds or auto (seconds below 1e11, else milliseconds)")
        }
        return unit
    }

    /// `timezone`: `UTC` (or `Z`) or a fixed offset `±HH:MM`, in minutes east of UTC; nil when absent. A
    /// PostgreSQL source reads `timestamp` columns in UTC (its session time zone), so it accepts only UTC.
    private static func parseTimeZone(_ node: ConfigNode?, postgres: Bool) throws(ConfigError) -> Int? {
        guard let node else { return nil }
        let text = try node.string.trimmingCharacters(in: .whitespaces)
        var minutes: Int?
        if ["UTC", "Z", "utc", "z", "+00:00", "-00:00", "Etc/UTC"].contains(text) {
            minutes = 0
        } else if text.count == 6, let sign = text.first, sign == "+" || sign == "-", Array(text)[3] == ":",
                  let hours = Int(text.dropFirst().prefix(2)), let mins = Int(text.suffix(2)), hours <= 23, mins <= 59,
                  text.dropFirst().prefix(2).allSatisfy(\.isASCII), text.suffix(2).allSatisfy(\.isASCII) {
            minutes = (hours * 60 + mins) * (sign == "-" ? -1 : 1)
        }
        guard let minutes else {
            if TimeZone(identifier: text) != nil {
                throw node.error("`\(text)` is a named time zone; its offset changes with daylight saving time, so some local times are ambiguous: give a fixed offset such as +01:00, or UTC, or export timestamps with their offset")
            }
            throw node.error("must be UTC or a fixed offset such as +02:00 or -05:30, got `\(text)`")
        }
        if postgres && minutes != 0 {
            throw node.error("a PostgreSQL source reads columns without a time zone in UTC (the session time zone); use UTC, or store timestamptz")
        }
        return minutes
    }

    private static func parseScores(_ node: ConfigNode, resolve: (String) -> String, environment: [String: String], task: ModelTask = .binary) throws(ConfigError) -> ScoreSource {
        try node.allowOnly(["path", "postgres", "format", "timestamp_unit", "columns", "timezone", "spark"])
        let location = try parseLocation(node, resolve: resolve, environment: environment, allowsMode: true)
        // Every column has a default (docs/configuration.md), so `columns` itself may be left out.
        let columns = try node.optional("columns")
        // A binary model reads a score; the other tasks a prediction (and a multiclass one its probabilities).
        switch task {
        case .binary: try columns?.allowOnly(["id", "time", "score", "version"])
        case .regression: try columns?.allowOnly(["id", "time", "prediction", "version"])
        case .multiclass: try columns?.allowOnly(["id", "time", "prediction", "version", "probabilities"])
        }
        let scoreColumn = task == .binary
            ? try columns?.optional("score")?.string ?? "score"
            : try columns?.optional("prediction")?.string ?? "prediction"
        var source = ScoreSource(
            path: location.path, postgres: location.postgres,
            format: try parseFormat(try node.optional("format")),
            timestampUnit: try parseUnit(try node.optional("timestamp_unit")),
            idColumn: try columns?.optional("id")?.string ?? "prediction_id",
            timeColumn: try columns?.optional("time")?.string ?? "prediction_time",
            scoreColumn: scoreColumn,
            versionColumn: try columns?.optional("version")?.string,
            timeZoneOffsetMinutes: try parseTimeZone(try node.optional("timezone"), postgres: location.postgres != nil)
        )
        source.spark = try parseSparkSource(node, resolve: resolve, environment: environment)
        return source
    }

    private static func parseLabels(_ node: ConfigNode, resolve: (String) -> String, environment: [String: String]) throws(ConfigError) -> LabelSource {
        try node.allowOnly(["path", "postgres", "format", "timestamp_unit", "columns", "timezone", "spark"])
        let location = try parseLocation(node, resolve: resolve, environment: environment, allowsMode: false)
        let columns = try node.optional("columns")
        try columns?.allowOnly(["id", "label", "time"])
        let sparkNode = try node.optional("spark")
        if location.postgres != nil || sparkNode != nil, try columns?.optional("time") == nil {
            throw node.error("is required for a postgres label source, so the read can be bounded by label time (and use an index)", key: "columns.time")
        }
        var source = LabelSource(
            path: location.path, postgres: location.postgres,
            format: try parseFormat(try node.optional("format")),
            timestampUnit: try parseUnit(try node.optional("timestamp_unit")),
            idColumn: try columns?.optional("id")?.string ?? "prediction_id",
            labelColumn: try columns?.optional("label")?.string ?? "label",
            timeColumn: try columns?.optional("time")?.string,
            timeZoneOffsetMinutes: try parseTimeZone(try node.optional("timezone"), postgres: location.postgres != nil)
        )
        source.spark = try parseSparkSource(node, resolve: resolve, environment: environment)
        return source
    }

    // MARK: - PostgreSQL sources

    /// `path` or `postgres`, exactly one.
    private static func parseLocation(
        _ node: ConfigNode, resolve: (String) -> String, environment: [String: String], allowsMode: Bool
    ) throws(ConfigError) -> (path: String?, postgres: PostgresSourceConfiguration?) {
        let pathNode = try node.optional("path")
        let postgresNode = try node.optional("postgres")
        switch (pathNode, postgresNode) {
        case (nil, nil):
            if try node.optional("spark") != nil { return (nil, nil) }
            throw node.error("needs `path` (files) or `postgres` (a database table or query)", key: "path")
        case (_?, _?): throw node.error("is given together with `path`; a source reads files or a database, not both", key: "postgres")
        case (let pathNode?, nil): return (resolve(try pathNode.string), nil)
        case (nil, let postgresNode?):
            return (nil, try parsePostgres(postgresNode, resolve: resolve, environment: environment, allowsMode: allowsMode))
        }
    }

    private static func parsePostgres(
        _ node: ConfigNode, resolve: (String) -> String, environment: [String: String], allowsMode: Bool
    ) throws(ConfigError) -> PostgresSourceConfiguration {
        try node.allowOnly([
            "host", "port", "database", "user", "password_env", "password_file", "password", "sslmode", "sslrootcert",
            "table", "query", "connect_timeout", "mode",
        ])
        if try node.optional("password") != nil {
            throw node.error("secrets do not belong in the config file: set \(Env.postgresPassword) (or the variable named by password_env), or password_file", key: "password")
        }
        let host = try node.optional("host")?.string ?? "localhost"
        var port = 5432
        if let portNode = try node.optional("port") {
            port = try portNode.int
            guard (1...65535).contains(port) else { throw portNode.error("must be within 1…65535") }
        }
        let database = try node.required("database").string
        let user = try node.required("user").string
        var password: String?
        if let fileNode = try node.optional("password_file") {
            let path = resolve(try fileNode.string)
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw fileNode.error("cannot read the secret file `\(path)`")
            }
            let secret = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw fileNode.error("the secret file `\(path)` is empty") }
            password = secret
        } else {
            let variable = try node.optional("password_env")?.string ?? Env.postgresPassword
            if let secret = environment[variable], !secret.isEmpty { password = secret }
        }
        var sslMode = "prefer"
        if let sslNode = try node.optional("sslmode") {
            sslMode = try sslNode.string
            guard PostgresSettings.sslModes.contains(sslMode) else {
                throw sslNode.error("must be one of \(PostgresSettings.sslModes.joined(separator: ", ")), got `\(sslMode)`")
            }
        }
        let sslRootCert = try node.optional("sslrootcert").map { n throws(ConfigError) in resolve(try n.string) }
        var timeout = 10
        if let timeoutNode = try node.optional("connect_timeout") {
            timeout = Int(try timeoutNode.durationSeconds)
            guard timeout >= 1 else { throw timeoutNode.error("must be at least 1s") }
        }
        let relation: PostgresSourceConfiguration.Relation
        switch (try node.optional("table"), try node.optional("query")) {
        case (nil, nil): throw node.error("needs `table` (with `columns`) or `query` (a SELECT using $1 and $2 for the time range)", key: "table")
        case (_?, _?): throw node.error("is given together with `table`; keep one", key: "query")
        case (let tableNode?, nil):
            let table = try tableNode.string
            guard !table.isEmpty else { throw tableNode.error("must not be empty") }
            relation = .table(table)
        case (nil, let queryNode?):
            var query = try queryNode.string.trimmingCharacters(in: .whitespacesAndNewlines)
            while query.hasSuffix(";") { query = String(query.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard query.contains("$1") else {
                throw queryNode.error("must bound the read with $1 (the start of the time range, timestamptz) and $2 (its end), e.g. `WHERE prediction_time >= $1 AND prediction_time < $2`")
            }
            relation = .query(query)
        }
        var mode = PostgresSourceConfiguration.Mode.exact
        if let modeNode = try node.optional("mode") {
            guard allowsMode else { throw modeNode.error("is set on scores.postgres (it applies to the whole model)") }
            guard let parsed = PostgresSourceConfiguration.Mode(rawValue: try modeNode.string) else {
                throw modeNode.error("must be exact or pushdown")
            }
            mode = parsed
        }
        return PostgresSourceConfiguration(
            settings: PostgresSettings(
                host: host, port: port, database: database, user: user, password: password, sslMode: sslMode,
                sslRootCert: sslRootCert, connectTimeoutSeconds: timeout),
            relation: relation, mode: mode, key: node.path)
    }

    // MARK: - InfluxDB

    private static func parseInflux(
        _ node: ConfigNode?, environment: [String: String], file: String, resolve: (String) -> String
    ) throws(ConfigError) -> InfluxConfiguration? {
        try node?.allowOnly([
            "url", "api", "database", "retention_policy", "org", "bucket", "token_file", "password_file", "user",
            "ca_bundle", "client_certificate", "client_key", "insecure_skip_verify", "connect_timeout", "timeout",
            "token", "password",
        ])
        if let node {
            for secretKey in ["token", "password"] where try node.optional(secretKey) != nil {
                throw node.error("secrets do not belong in the config file: set INFLUX_TOKEN / INFLUX_PASSWORD, or token_file / password_file", key: secretKey)
            }
        }
        func value(_ key: String, env: String?) throws(ConfigError) -> String? {
            if let env, let fromEnv = environment[env], !fromEnv.isEmpty { return fromEnv }
            return try node?.optional(key)?.string
        }
        // INFLUX_URL, then the influx CLI's INFLUX_HOST, then the file.
        let urlVariable = firstSet([Env.url, Env.host], in: environment)
        let fileURL = try value("url", env: nil)
        guard let url = urlVariable?.value ?? fileURL else { return nil }
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), URL(string: url)?.host != nil else {
            throw ConfigError(key: urlVariable?.name ?? "influx.url", "must be an http:// or https:// URL with a host", file: urlVariable == nil ? file : nil)
        }
        let apiName = try value("api", env: Env.api) ?? "v1"
        let api: InfluxConfiguration.API
        switch apiName {
        case "v1":
            api = .v1(database: try value("database", env: Env.database) ?? "modelwatch",
                      retentionPolicy: try value("retention_policy", env: nil))
        case "v2":
            guard let org = try value("org", env: Env.org) else { throw ConfigError(key: "influx.org", "is required for api v2 (or set INFLUX_ORG)", file: file) }
            guard let bucket = try value("bucket", env: Env.bucket) else { throw ConfigError(key: "influx.bucket", "is required for api v2 (or set INFLUX_BUCKET)", file: file) }
            api = .v2(org: org, bucket: bucket)
        case "v3":
            api = .v3(database: try value("database", env: Env.database) ?? "modelwatch")
        default:
            let fromEnvironment = !(environment[Env.api] ?? "").isEmpty
            throw ConfigError(key: fromEnvironment ? Env.api : "influx.api", "must be v1, v2 or v3, got `\(apiName)`", file: fromEnvironment ? nil : file)
        }
        let credentials = try resolveCredentials(node, environment: environment, resolve: resolve)
        if case .v2 = api, case .userPassword = credentials {
            throw ConfigError(key: "influx.api", "api v2 authenticates with a token: set INFLUX_TOKEN or influx.token_file", file: file)
        }
        return InfluxConfiguration(
            url: url.hasSuffix("/") ? String(url.dropLast()) : url, api: api, credentials: credentials,
            caBundle: try node?.optional("ca_bundle").map { n throws(ConfigError) in resolve(try n.string) },
            clientCertificate: try node?.optional("client_certificate").map { n throws(ConfigError) in resolve(try n.string) },
            clientKey: try node?.optional("client_key").map { n throws(ConfigError) in resolve(try n.string) },
            insecureSkipVerify: try node?.optional("insecure_skip_verify")?.bool ?? false,
            connectTimeoutSeconds: Double(try node?.optional("connect_timeout")?.durationSeconds ?? 5),
            requestTimeoutSeconds: Double(try node?.optional("timeout")?.durationSeconds ?? 30)
        )
    }

    private static func resolveCredentials(
        _ node: ConfigNode?, environment: [String: String], resolve: (String) -> String
    ) throws(ConfigError) -> InfluxConfiguration.Credentials {
        func readSecretFile(_ key: String) throws(ConfigError) -> String? {
            guard let fileNode = try node?.optional(key) else { return nil }
            let path = resolve(try fileNode.string)
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw fileNode.error("cannot read the secret file `\(path)`")
            }
            let secret = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw fileNode.error("the secret file `\(path)` is empty") }
            return secret
        }
        func readEnvironmentFile(_ variable: String) throws(ConfigError) -> String? {
            guard let path = environment[variable], !path.isEmpty else { return nil }
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigError(key: variable, "cannot read the secret file `\(path)`")
            }
            let secret = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw ConfigError(key: variable, "the secret file `\(path)` is empty") }
            return secret
        }
        if let token = environment[Env.token], !token.isEmpty { return .token(token) }
        if let token = try readEnvironmentFile(Env.tokenFile) { return .token(token) }
        if let token = try readSecretFile("token_file") { return .token(token) }
        // INFLUX_USER, then the influx CLI's INFLUX_USERNAME, then the file.
        var user = firstSet([Env.user, Env.username], in: environment)?.value
        if user == nil { user = try node?.optional("user")?.string }
        var password = environment[Env.password].flatMap { $0.isEmpty ? nil : $0 }
        if password == nil { password = try readEnvironmentFile(Env.passwordFile) }
        if password == nil { password = try readSecretFile("password_file") }
        switch (user, password) {
        case (let user?, let password?): return .userPassword(user: user, password: password)
        case (nil, nil): return .none
        case (nil, _?): throw ConfigError(key: Env.user, "a password is set but no user: set INFLUX_USER (or INFLUX_USERNAME) or influx.user")
        case (_?, nil): throw ConfigError(key: Env.password, "a user is set but no password: set INFLUX_PASSWORD or influx.password_file")
        }
    }

    // MARK: - Delivery and run

    /// With no `spool_dir` or `dead_letter`, both live in the config's state directory: an outage never loses points.
    private static func parseDelivery(
        _ node: ConfigNode?, environment: [String: String], resolve: (String) -> String, stateDirectory: String
    ) throws(ConfigError) -> DeliveryConfiguration {
        try node?.allowOnly(["batch_lines", "batch_bytes", "gzip", "retry_budget", "spool_dir", "spool_max_bytes", "dead_letter"])
        var config = DeliveryConfiguration(
            batchLines: 5_000, batchBytes: 4 << 20, gzip: true, retryBudgetSeconds: 60,
            spoolDirectory: stateDirectory + "/spool", spoolMaxBytes: 1 << 30, deadLetterPath: stateDirectory + "/dead-letter.lp"
        )
        if let value = try node?.optional("batch_lines") {
            config.batchLines = try value.int
            guard (1...1_000_000).contains(config.batchLines) else { throw value.error("must be within 1…1000000") }
        }
        if let value = try node?.optional("batch_bytes") {
            config.batchBytes = try value.int
            guard config.batchBytes >= 1024 else { throw value.error("must be at least 1024") }
        }
        if let value = try node?.optional("gzip") { config.gzip = try value.bool }
        if let value = try node?.optional("retry_budget") { config.retryBudgetSeconds = Double(try value.durationSeconds) }
        if let value = try node?.optional("spool_dir") { config.spoolDirectory = resolve(try value.string) }
        if let fromEnv = environment[Env.spoolDirectory], !fromEnv.isEmpty { config.spoolDirectory = fromEnv }
        if let value = try node?.optional("spool_max_bytes") {
            config.spoolMaxBytes = Int64(try value.int)
            guard config.spoolMaxBytes > 0 else { throw value.error("must be positive") }
        }
        if let value = try node?.optional("dead_letter") { config.deadLetterPath = resolve(try value.string) }
        return config
    }

    private static func parseRun(_ node: ConfigNode?) throws(ConfigError) -> RunOptions {
        try node?.allowOnly(["max_bad_rows", "max_bad_row_fraction", "time_budget", "stop_grace", "log_format", "threads"])
        var options = RunOptions(maxBadRows: 1_000, maxBadRowFraction: 0.01, timeBudgetSeconds: 600, logFormat: .text)
        if let value = try node?.optional("max_bad_rows") { options.maxBadRows = try nonNegative(value) }
        if let value = try node?.optional("max_bad_row_fraction") {
            options.maxBadRowFraction = try value.double
            guard (0...1).contains(options.maxBadRowFraction) else { throw value.error("must be within [0, 1]") }
        }
        if let value = try node?.optional("time_budget") { options.timeBudgetSeconds = Double(try value.durationSeconds) }
        if let value = try node?.optional("stop_grace") {
            let seconds = try value.durationSeconds
            guard (1...3600).contains(seconds) else { throw value.error("must be within 1s…1h") }
            options.stopGraceSeconds = Double(seconds)
        }
        if let value = try node?.optional("log_format") {
            guard let format = LogFormat(rawValue: try value.string) else { throw value.error("must be text, logfmt or json") }
            options.logFormat = format
        }
        if let value = try node?.optional("threads"), (try? value.string) != "auto" {
            let threads = try value.int
            guard (1...256).contains(threads) else { throw value.error("must be within 1…256, or auto") }
            options.threads = threads
        }
        return options
    }
}

/// Small, stable, non-cryptographic fingerprints for identifying configurations.
public enum Fingerprint {
    /// FNV-1a 64-bit of the UTF-8 text, as 16 hex digits.
    public static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
