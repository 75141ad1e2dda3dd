import Foundation

/// Files of the Grafana kit, found from this source file's location (`#filePath`).
enum Repo {
    /// The repository root: the nearest ancestor of this file (symlinks resolved) that has
    /// `grafana/provisioning` and `Package.swift`; `MODELWATCH_REPO_ROOT` overrides it.
    static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["MODELWATCH_REPO_ROOT"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let marker = directory.appendingPathComponent("grafana/provisioning").path
            if FileManager.default.fileExists(atPath: marker),
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("GrafanaKitTests: no repository root above \(#filePath)")
    }()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// Repository-relative paths of the files in `directory` whose names end with one of `extensions`.
    static func files(in directory: String, extensions: [String]) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(directory).path)) ?? []
        return names.filter { name in extensions.contains { name.hasSuffix(".\($0)") } }
            .sorted()
            .map { "\(directory)/\($0)" }
    }

    static let dashboardFiles = files(in: "grafana/dashboards", extensions: ["json"])
    static let alertingFiles = files(in: "grafana/provisioning/alerting", extensions: ["json", "yaml", "yml"])
    static let ruleFiles = alertingFiles.filter { $0.hasSuffix(".json") }
    static let yamlFiles =
        files(in: "grafana/provisioning/datasources", extensions: ["yaml", "yml"])
        + files(in: "grafana/provisioning/dashboards", extensions: ["yaml", "yml"])
        + alertingFiles.filter { !$0.hasSuffix(".json") }
        + ["docker-compose.yml"]
    static let jsonFiles = dashboardFiles + ruleFiles

    /// Parses a repository file as JSON or YAML by its extension.
    static func doc(_ relative: String) throws -> Doc {
        let content = try text(relative)
        return relative.hasSuffix(".json") ? try Doc.json(content) : try Doc.yaml(content)
    }
}
