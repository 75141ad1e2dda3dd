import Foundation
import HTTPTransport
import HiveServer2

extension ConfigLoader.Env {
    /// Default variable holding a Spark source's bearer token (`spark.token_env` names another).
    public static let sparkToken = "MODELWATCH_SPARK_TOKEN"
    /// Default variable holding a Spark source's password for HTTP Basic (`spark.password_env` names another).
    public static let sparkPassword = "MODELWATCH_SPARK_PASSWORD"
}

extension ConfigLoader {
    /// `scores.spark` / `labels.spark` (nil when absent): a HiveServer2 endpoint and a relation; exactly one source
    /// kind per block. Secrets come from the environment or a file (a systemd credential is a file in
    /// `$CREDENTIALS_DIRECTORY`), never from the config file.
    static func parseSparkSource(_ parent: ConfigNode, resolve: (String) -> String, environment: [String: String]) throws(ConfigError) -> SparkSourceConfiguration? {
        guard let node = try parent.optional("spark") else { return nil }
        for other in ["path", "postgres"] where try parent.optional(other) != nil {
            throw parent.error("is given together with `\(other)`; a source reads one of files, PostgreSQL or Spark", key: "spark")
        }
        try node.allowOnly([
            "url", "http_path", "user", "password_env", "password_file", "token_env", "token_file", "table", "database",
            "ca_bundle", "insecure_skip_verify", "connect_timeout", "query_timeout", "password", "token",
        ])
        for secretKey in ["token", "password"] where try node.optional(secretKey) != nil {
            throw node.error("secrets do not belong in the config file: set \(secretKey == "token" ? Env.sparkToken : Env.sparkPassword) (or the variable named by \(secretKey)_env), or \(secretKey)_file", key: secretKey)
        }
        let urlNode = try node.required("url")
        var url = try urlNode.string
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw urlNode.error("must start with http:// or https:// (HiveServer2 in HTTP transport mode); the value is not repeated here, as it may hold a credential")
        }
        if url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).count > 2, url.dropFirst(8).contains("@") {
            throw urlNode.error("must not carry credentials; use user with password_env/password_file, or token_env/token_file")
        }
        while url.hasSuffix("/") { url.removeLast() }
        var path = try node.optional("http_path")?.string ?? "cliservice"
        while path.hasPrefix("/") { path.removeFirst() }

        func secret(fileKey: String, envKey: String, defaultEnv: String) throws(ConfigError) -> String? {
            if let fileNode = try node.optional(fileKey) {
                let file = resolve(try fileNode.string)
                guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else { throw fileNode.error("cannot read the secret file `\(file)`") }
                let value = contents.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !value.isEmpty else { throw fileNode.error("the secret file `\(file)` is empty") }
                return value
            }
            let variable = try node.optional(envKey)?.string ?? defaultEnv
            if let value = environment[variable], !value.isEmpty { return value }
            return nil
        }
        let credentials: HiveServer2Endpoint.Credentials
        let user = try node.optional("user")?.string
        if let token = try secret(fileKey: "token_file", envKey: "token_env", defaultEnv: Env.sparkToken) {
            guard user == nil else { throw node.error("is set together with a token; a token (Databricks) needs no user, HTTP Basic needs user and password", key: "user") }
            credentials = .bearer(token)
        } else if let user {
            // A Spark Thrift server with authentication NONE accepts any password, but not an empty one (its
            // Basic-header parser needs the `:` and something after it).
            guard let password = try secret(fileKey: "password_file", envKey: "password_env", defaultEnv: Env.sparkPassword) else {
                throw node.error("has no password: set \(Env.sparkPassword) (or the variable named by password_env), or password_file; a Spark Thrift server with authentication NONE accepts any non-empty one", key: "password_env")
            }
            credentials = .basic(user: user, password: password)
        } else {
            throw node.error("needs credentials: a token in \(Env.sparkToken) (or token_env / token_file), or a user with the password in \(Env.sparkPassword) (or password_env / password_file)", key: "user")
        }
        let tableNode = try node.required("table")
        let table = try tableNode.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !table.isEmpty, !table.contains(";") else { throw tableNode.error("must name a table, view or path relation such as parquet.`/data/scores`") }
        var tls = TLSOptions()
        tls.caBundlePath = try node.optional("ca_bundle").map { n throws(ConfigError) in resolve(try n.string) }
        tls.insecureSkipVerify = try node.optional("insecure_skip_verify")?.bool ?? false
        var connectTimeout: Int64 = 10
        if let timeoutNode = try node.optional("connect_timeout") {
            connectTimeout = try timeoutNode.durationSeconds
            guard connectTimeout >= 1 else { throw timeoutNode.error("must be at least 1s") }
        }
        var queryTimeout: Int64 = 0
        if let timeoutNode = try node.optional("query_timeout") {
            queryTimeout = try timeoutNode.durationSeconds
            guard queryTimeout >= 1 else { throw timeoutNode.error("must be at least 1s") }
        }
        var configuration: [(String, String)] = []
        if let database = try node.optional("database")?.string { configuration.append(("use:database", database)) }
        let endpoint = HiveServer2Endpoint(
            url: "\(url)/\(path)", credentials: credentials, tls: tls, connectTimeout: .seconds(connectTimeout),
            requestTimeout: .seconds(max(60, connectTimeout)), queryTimeoutSeconds: queryTimeout, sessionConfiguration: configuration)
        return SparkSourceConfiguration(endpoint: endpoint, table: table, key: node.path)
    }
}
