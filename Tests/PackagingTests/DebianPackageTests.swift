import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
#if canImport(CoreFoundation)
import CoreFoundation
#endif
#if canImport(CDispatch)
import CDispatch
#endif

/// Whether this machine can install a package: root and dpkg (CI runs as root on Debian).
enum PackageHost {
    static let canInstall = geteuid() == 0 && Shell.which("dpkg") != nil
}

/// The .deb that `make deb` builds: its metadata, lintian, and a real install on this machine — units verified,
/// the installed binary run as the package's system user on the demo against a real InfluxDB — then remove
/// (state kept) and purge (state gone).
///
/// It needs root and dpkg (CI has both) and the package: `make test` builds it once and passes its path in
/// MODELWATCH_DEB; by hand, `make deb` and then `MODELWATCH_DEB=$PWD/.build/deb/modelwatch_…deb swift test
/// --filter DebianPackage`. It refuses to run where a modelwatch package is already installed; a state directory
/// without the package (a root run of the job) is moved aside and put back.
@Suite("Debian package", .serialized, .enabled(if: PackageHost.canInstall, "needs root and dpkg"))
struct DebianPackageTests {
    /// The package under test: MODELWATCH_DEB, else the newest one `make deb` left in .build/deb.
    static func package() throws -> String {
        if let path = ProcessInfo.processInfo.environment["MODELWATCH_DEB"], !path.isEmpty { return path }
        let directory = Shell.repositoryRoot + "/.build/deb"
        let built = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".deb") }.sorted()
        return try #require(built.last.map { "\(directory)/\($0)" }, "no .deb: run `make deb` (make test does) or set MODELWATCH_DEB")
    }

    static func field(_ name: String, of deb: String) throws -> String {
        try Shell.run(["dpkg-deb", "--field", deb, name]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("the package declares what it needs and ships the documented files")
    func metadata() throws {
        let deb = try Self.package()
        let depends = try Self.field("Depends", of: deb)
        for library in ["libc6", "libcurl4", "libpq5", "zlib1g", "adduser"] {
            #expect(depends.contains(library), "Depends: \(depends)")
        }
        #expect(!depends.lowercased().contains("swift"))
        #expect(try Self.field("Description", of: deb).split(separator: "\n").count > 3)
        let contents = try Shell.run(["dpkg-deb", "--contents", deb]).output
        for path in [
            "./usr/bin/modelwatch", "./usr/share/man/man1/modelwatch.1.gz",
            "./usr/share/bash-completion/completions/modelwatch", "./usr/share/zsh/vendor-completions/_modelwatch",
            "./usr/share/fish/vendor_completions.d/modelwatch.fish", "./etc/modelwatch/models.yaml.example",
            "./lib/systemd/system/modelwatch.service", "./lib/systemd/system/modelwatch.timer",
            "./lib/systemd/system/modelwatch@.service", "./lib/systemd/system/modelwatch@.timer",
            "./usr/share/modelwatch/grafana/dashboards/model-performance.json",
            "./usr/share/modelwatch/influxdb/initdb/10-modelwatch.sh",
            "./usr/share/doc/modelwatch/copyright", "./usr/share/doc/modelwatch/changelog.Debian.gz",
        ] {
            #expect(contents.contains(" \(path)\n"), "\(path) is missing from the package")
        }
        #expect(!contents.contains("./var/lib/modelwatch"), "the state directory is made at install, not shipped")
        let control = try Shell.temporaryDirectory("mw-control")
        defer { try? FileManager.default.removeItem(atPath: control) }
        #expect(try Shell.run(["dpkg-deb", "--control", deb, control]).status == 0)
        #expect(try String(contentsOfFile: control + "/conffiles", encoding: .utf8) == "/etc/modelwatch/models.yaml.example\n")
        let md5sums = try String(contentsOfFile: control + "/md5sums", encoding: .utf8)
        #expect(md5sums.contains("  usr/bin/modelwatch\n"))
    }

    @Test("lintian reports no error", .enabled(if: Shell.which("lintian") != nil, "needs lintian (make test-deps installs it)"))
    func lintian() throws {
        let outcome = try Shell.run(["lintian", "--tag-display-limit", "0", try Self.package()])
        let errors = outcome.output.split(separator: "\n").filter { $0.hasPrefix("E:") }
        #expect(errors.isEmpty, "\(outcome)")
    }

    @Test("installed: units verify, the binary runs as the modelwatch user on the demo into a real InfluxDB; remove keeps the state, purge deletes it")
    func installRunRemovePurge() throws {
        let deb = try Self.package()
        let already = try Shell.run(["dpkg-query", "-W", "-f", "${Status}", "modelwatch"])
        try #require(!already.output.contains("installed"), "a modelwatch package is installed on this machine; the test would replace and purge it")
        // Purge deletes the state directory: one that exists already (a root run of the job, an earlier install)
        // is moved aside for the test and put back after the purge, so nothing on the machine is lost.
        let existing = try MovedAside(path: "/var/lib/modelwatch")
        defer { existing.restore() }
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("modelwatch")

        let install = try Shell.run(["dpkg", "-i", deb])
        defer { _ = try? Shell.run(["dpkg", "--purge", "modelwatch"]) }
        try #require(install.status == 0, "\(install)")

        // The system user and its private state directory.
        let user = try Shell.run(["getent", "passwd", "modelwatch"]).output.split(separator: ":").map(String.init)
        try #require(user.count >= 7, "no modelwatch user")
        #expect(Int(user[2]).map { $0 < 1000 } == true, "a system uid: \(user)")
        #expect(user[5] == "/var/lib/modelwatch")
        var status = stat()
        #expect(stat("/var/lib/modelwatch", &status) == 0)
        #expect(status.st_uid == UInt32(user[2]) && status.st_mode & 0o777 == 0o700)

        // The installed units, as systemd will read them (the template through an instance).
        let units = try Shell.temporaryDirectory("mw-installed-units")
        defer { try? FileManager.default.removeItem(atPath: units) }
        try FileManager.default.copyItem(atPath: "/lib/systemd/system/modelwatch@.service", toPath: units + "/modelwatch@demo.service")
        try FileManager.default.copyItem(atPath: "/lib/systemd/system/modelwatch@.timer", toPath: units + "/modelwatch@demo.timer")
        let verify = try Shell.run(["systemd-analyze", "verify", "--man=no", "/lib/systemd/system/modelwatch.service",
                                    "/lib/systemd/system/modelwatch.timer", units + "/modelwatch@demo.service", units + "/modelwatch@demo.timer"])
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify)")

        // Self-contained: no Swift library from a toolchain, and it starts with an empty environment.
        let ldd = try Shell.run(["ldd", "/usr/bin/modelwatch"])
        #expect(ldd.status == 0 && !ldd.output.lowercased().contains("swift"), "\(ldd)")
        let version = try Shell.run(["/usr/bin/modelwatch", "--version"], environment: [:])
        #expect(version.status == 0 && version.output.hasPrefix("0.") && version.output.contains("(commit "), "\(version)")

        // The demo, run as the service runs it: user modelwatch, STATE_DIRECTORY from systemd, nothing else.
        let work = try Shell.temporaryDirectory("mw-package-demo")
        defer { try? FileManager.default.removeItem(atPath: work) }
        #expect(chown(work, UInt32(user[2])!, UInt32(user[3])!) == 0)
        let environment = ["STATE_DIRECTORY": "/var/lib/modelwatch", "INFLUX_URL": server.url, "INFLUX_DATABASE": "modelwatch"]
        func asServiceUser(_ arguments: [String]) throws -> Shell.Outcome {
            try Shell.run(["runuser", "-u", "modelwatch", "--", "/usr/bin/env", "-i"]
                          + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + ["/usr/bin/modelwatch"] + arguments, in: work)
        }
        let config = work + "/demo/modelwatch.yaml"
        let generated = try asServiceUser(["generate", "--scenario", "demo", "--out", work + "/demo"])
        try #require(generated.status == 0, "\(generated)")
        let profiled = try asServiceUser(["profile", "--config", config, "--from", "2026-11-01T00:00:00Z", "--to", "2026-11-04T00:00:00Z"])
        try #require(profiled.status == 0, "\(profiled)")
        let run = try asServiceUser(["run", "--config", config, "--as-of", "2026-11-15T00:00:00Z"])
        #expect(run.status == 0, "\(run)")
        let file = try asServiceUser(["run", "--config", config, "--as-of", "2026-11-15T00:00:00Z", "--output", "file:\(work)/points.lp"])
        #expect(file.status == 0, "\(file)")

        // Every point the run encoded is in InfluxDB (a file run of the same as-of gives the same points).
        let lines = try String(contentsOfFile: work + "/points.lp", encoding: .utf8).split(separator: "\n").count
        let measurements = Set(try String(contentsOfFile: work + "/points.lp", encoding: .utf8).split(separator: "\n")
            .map { String($0.prefix { $0 != "," && $0 != " " }) })
        let stored = try measurements.reduce(0) { total, measurement in
            total + (try server.query("SELECT * FROM \"\(measurement)\"", database: "modelwatch").rows.count)
        }
        #expect(lines > 100 && stored == lines, "\(stored) points stored, \(lines) written to the file")

        // The run lock and the spool live in the service's state directory, owned by the user.
        let state = StateDirectory(root: "/var/lib/modelwatch", origin: "STATE_DIRECTORY").directory(forConfig: config)
        #expect(stat(state + "/run.lock", &status) == 0 && status.st_uid == UInt32(user[2]), "\(state)/run.lock")

        // Remove: the program goes, the state (a spool may hold undelivered points) and the conffile stay.
        let remove = try Shell.run(["dpkg", "--remove", "modelwatch"])
        #expect(remove.status == 0, "\(remove)")
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/modelwatch"))
        #expect(FileManager.default.fileExists(atPath: state + "/run.lock"))
        #expect(FileManager.default.fileExists(atPath: "/etc/modelwatch/models.yaml.example"))

        // Purge: the state directory and the configuration are gone.
        let purge = try Shell.run(["dpkg", "--purge", "modelwatch"])
        #expect(purge.status == 0, "\(purge)")
        #expect(!FileManager.default.fileExists(atPath: "/var/lib/modelwatch"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/modelwatch/models.yaml.example"))
    }
}

/// The example configuration shipped in /etc/modelwatch is a valid config.
@Suite("Example configuration")
struct ExampleConfigurationTests {
    @Test("packaging/models.yaml.example parses, with the defaults that keep every point")
    func parses() throws {
        let path = Shell.repositoryRoot + "/packaging/models.yaml.example"
        let configuration = try ConfigLoader.parse(
            yaml: String(contentsOfFile: path, encoding: .utf8), file: "/etc/modelwatch/models.yaml", environment: [:],
            stateRoot: StateDirectory(root: "/var/lib/modelwatch", origin: "test"))
        #expect(configuration.models.map(\.name) == ["fraud"])
        #expect(configuration.delivery.spoolDirectory.hasPrefix("/var/lib/modelwatch/models-"))
    }
}

/// A path renamed out of the way for a test and renamed back by `restore()`; nothing if it did not exist.
struct MovedAside {
    let path: String
    let aside: String?

    init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { aside = nil; return }
        let aside = path + ".moved-aside-by-test-\(getpid())"
        try #require(rename(path, aside) == 0, "\(path) could not be moved aside to \(aside): \(String(cString: strerror(errno)))")
        self.aside = aside
    }

    /// Puts the original back (after the test's own directory at the path is gone).
    func restore() {
        guard let aside else { return }
        try? FileManager.default.removeItem(atPath: path)
        if rename(aside, path) != 0 {
            Issue.record("\(path) was moved aside to \(aside) and could not be put back: \(String(cString: strerror(errno)))")
        }
    }
}
