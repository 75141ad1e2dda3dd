import Foundation
import Testing

/// docker-compose.yml, read as YAML.
enum ComposeFile {
    static func doc() throws -> Doc { try Repo.doc("docker-compose.yml") }

    /// The grafana service's environment, raw (before compose interpolation).
    static func grafanaEnvironment() throws -> [String: String] {
        (try doc()["services"]?["grafana"]?["environment"]?.object ?? [:]).compactMapValues(\.string)
    }
}

@Suite("docker-compose stack")
struct ComposeTests {
    static let binary = "/usr/bin/docker-compose"

    @Test("docker-compose config validates the compose file with the example .env")
    func composeConfigValidates() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            if ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] == "1" { return }
            Issue.record("\(Self.binary) is missing (apt-get install docker-compose, or MODELWATCH_ALLOW_SKIP=1)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mw-compose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let envFile = directory.appendingPathComponent(".env")
        try FileManager.default.copyItem(at: Repo.url(".env.example"), to: envFile)

        let (status, text) = try ProcessOutput.run(
            Self.binary, ["--env-file", envFile.path, "-f", Repo.url("docker-compose.yml").path, "config"], in: Repo.root)
        #expect(status == 0, "docker-compose config failed:\n\(text)")
        #expect(text.contains("grafana/grafana-oss:"))
    }

    @Test("images are pinned: InfluxDB 2.7 and Grafana OSS 11.x or 12.x")
    func imagesArePinned() throws {
        let services = try ComposeFile.doc()["services"]?.object ?? [:]
        #expect(services["influxdb"]?["image"]?.string == "influxdb:2.7")
        let grafana = services["grafana"]?["image"]?.string ?? ""
        #expect(grafana.range(of: #"^grafana/grafana-oss:1[12]\.\d+\.\d+$"#, options: .regularExpression) != nil, "\(grafana)")
        for (name, service) in services {
            let image = service["image"]?.string ?? ""
            #expect(image.contains(":") && !image.hasSuffix(":latest"), "\(name) image \(image) is not pinned")
            #expect(service["healthcheck"]?["test"] != nil, "\(name) has no healthcheck")
        }
    }

    @Test("no anonymous admin and no sign-up")
    func grafanaHasNoAnonymousAccess() throws {
        let environment = try ComposeFile.grafanaEnvironment()
        #expect(environment["GF_AUTH_ANONYMOUS_ENABLED"] == "false")
        #expect(environment["GF_USERS_ALLOW_SIGN_UP"] == "false")
        #expect(environment["GF_SECURITY_ADMIN_PASSWORD"]?.contains(":?") == true, "admin password must be required")
        #expect(environment["GF_AUTH_ANONYMOUS_ORG_ROLE"] == nil)
    }

    @Test("ports are bound to loopback")
    func portsAreLoopback() throws {
        for (name, service) in try ComposeFile.doc()["services"]?.object ?? [:] {
            for port in service["ports"]?.array.compactMap(\.string) ?? [] {
                #expect(port.hasPrefix("127.0.0.1:"), "\(name) publishes \(port) beyond loopback")
            }
        }
    }

    @Test("every variable the compose file requires is in .env.example, and .env is ignored")
    func requiredVariablesAreInEnvExample() throws {
        let compose = try Repo.text("docker-compose.yml")
        let required = Set(InfluxQLIdentifiers.captures(#"\$\{([A-Z0-9_]+):\?"#, in: compose))
        #expect(required.isSuperset(of: ["INFLUX_ADMIN_PASSWORD", "INFLUX_ADMIN_TOKEN", "INFLUX_GRAFANA_PASSWORD",
                                         "INFLUX_WRITER_PASSWORD", "GRAFANA_ADMIN_PASSWORD"]))
        let example = try Repo.text(".env.example")
        let defined = Set(InfluxQLIdentifiers.captures(#"(?m)^([A-Z0-9_]+)="#, in: example))
        #expect(required.isSubset(of: defined), "missing from .env.example: \(required.subtracting(defined).sorted())")
        let gitignore = try Repo.text(".gitignore")
        #expect(gitignore.split(separator: "\n").contains { $0 == "/.env" || $0 == ".env" })
    }

    @Test("every environment variable the provisioning files read is passed to Grafana")
    func provisioningVariablesArePassed() throws {
        let environment = try ComposeFile.grafanaEnvironment()
        let files = Repo.files(in: "grafana/provisioning/datasources", extensions: ["yaml"])
            + Repo.alertingFiles.filter { !$0.hasSuffix(".json") }
        for file in files {
            let yaml = try Repo.doc(file)
            for text in yaml.allStrings {
                for name in InfluxQLIdentifiers.captures(#"\$\{([A-Z][A-Z0-9_]*)\}"#, in: text) {
                    #expect(environment[name] != nil, "\(file) reads ${\(name)} but docker-compose does not set it")
                }
            }
        }
        // Rule files: Grafana expands variables in labels (not in annotations or queries).
        for rule in Kit.rules {
            for value in rule.labels.values {
                for name in InfluxQLIdentifiers.captures(#"\$\{([A-Z][A-Z0-9_]*)\}"#, in: value) {
                    #expect(environment[name] != nil, "rule \(rule.uid) reads ${\(name)} but docker-compose does not set it")
                }
            }
        }
    }

    @Test("the InfluxDB init script maps the DBRP and creates a read-only and a write-only v1 user")
    func initScriptCreatesMappingAndUsers() throws {
        let path = "influxdb/initdb/10-modelwatch.sh"
        #expect(FileManager.default.isExecutableFile(atPath: Repo.url(path).path), "\(path) must be executable")
        let script = try Repo.text(path)
        #expect(script.hasPrefix("#!/bin/bash"))
        #expect(script.contains("influx v1 dbrp create"))
        #expect(script.contains("--read-bucket") && script.contains("--write-bucket"))
        let mounts = try ComposeFile.doc()["services"]?["influxdb"]?["volumes"]?.array.compactMap(\.string) ?? []
        #expect(mounts.contains("./influxdb/initdb:/docker-entrypoint-initdb.d:ro"))
    }
}

/// The runbook links of the alert rules are a provisioning setting with a working default.
@Suite("Runbook base URL")
struct RunbookBaseTests {
    @Test("Grafana's expansion: ${NAME} and $NAME from the environment, unset is empty, $$ is a literal $, no :- default")
    func expansionFollowsGrafana() throws {
        let environment = ["A": "x", "B_2": "y"]
        #expect(try RunbookBase.expanded("${A}/$B_2/${C}", environment: environment) == "x/y/")
        #expect(try RunbookBase.expanded("$$A", environment: environment) == "$A")
        #expect(try RunbookBase.expanded("${C:-z}", environment: environment) == "")
    }

    @Test("MODELWATCH_RUNBOOK_URL is set by compose, overridable from .env, and its default is the docs/ copy Grafana serves")
    func defaultPointsAtShippedDocs() throws {
        let raw = try #require(try ComposeFile.grafanaEnvironment()["MODELWATCH_RUNBOOK_URL"])
        #expect(raw.hasPrefix("${MODELWATCH_RUNBOOK_URL:-"), "an override from .env must win: \(raw)")
        let url = try #require(try RunbookBase.composeDefaults()["MODELWATCH_RUNBOOK_URL"])
        let prefix = "http://localhost:3000/public/"
        try #require(url.hasPrefix(prefix), "\(url)")
        // The path under /public/ is a directory mounted into Grafana's static root, /usr/share/grafana/public.
        let relative = String(url.dropFirst(prefix.count))
        let directory = String(relative.split(separator: "/").first ?? "")
        let volumes = (try ComposeFile.doc()["services"]?["grafana"]?["volumes"]?.array ?? []).compactMap(\.string)
        #expect(volumes.contains("./docs:/usr/share/grafana/public/\(directory):ro"), "\(volumes)")
        let file = relative.dropFirst(directory.count + 1)
        #expect(FileManager.default.fileExists(atPath: Repo.root.appendingPathComponent("docs/\(file)").path))
        #expect(try Repo.text(".env.example").contains("\nMODELWATCH_RUNBOOK_URL=\n"))
    }
}
