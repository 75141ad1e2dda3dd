import Foundation
import Testing

/// The systemd units as shipped (packaging/systemd, with the install paths filled in as `make install` does).
@Suite("systemd units")
struct UnitFileTests {
    /// Unit text with @BINDIR@ and @SYSCONFDIR@ replaced.
    static func unit(_ name: String, bindir: String = "/usr/bin", sysconfdir: String = "/etc") throws -> String {
        try String(contentsOfFile: "\(Shell.repositoryRoot)/packaging/systemd/\(name)", encoding: .utf8)
            .replacingOccurrences(of: "@BINDIR@", with: bindir).replacingOccurrences(of: "@SYSCONFDIR@", with: sysconfdir)
    }

    /// `key=value` settings of a unit, in order (comments and section headers dropped).
    static func settings(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    @Test("the service is a hardened oneshot of the system user, with its state directory, the token as a credential and a start timeout", arguments: ["modelwatch.service", "modelwatch@.service"])
    func service(name: String) throws {
        let values = Dictionary(Self.settings(try Self.unit(name)).map { ($0.key, $0.value) }) { first, _ in first }
        let required: [String: String] = [
            "Type": "oneshot", "User": "modelwatch", "Group": "modelwatch", "StateDirectory": "modelwatch",
            "StateDirectoryMode": "0700", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
            "PrivateTmp": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": "", "UMask": "0077",
            "Environment": "INFLUX_TOKEN_FILE=%d/influx-token", "SuccessExitStatus": "75",
        ]
        for (key, value) in required { #expect(values[key] == value, "\(name): \(key)=\(values[key] ?? "(unset)"), want \(value)") }
        #expect(values["LoadCredential"]?.hasPrefix("influx-token:/etc/modelwatch/") == true)
        #expect(values["TimeoutStartSec"] != nil, "a oneshot has no start timeout unless one is set")
        #expect(values["ExecStart"]?.hasPrefix("/usr/bin/modelwatch run --config /etc/modelwatch/") == true)
        #expect(!(try Self.unit(name)).contains("[Install]"), "the timer starts the service; the service is not enabled itself")
    }

    @Test("the timer runs hourly, catches up after downtime and spreads hosts", arguments: ["modelwatch.timer", "modelwatch@.timer"])
    func timer(name: String) throws {
        let values = Dictionary(Self.settings(try Self.unit(name)).map { ($0.key, $0.value) }) { first, _ in first }
        #expect(values["OnCalendar"] == "*-*-* *:05:00")
        #expect(values["Persistent"] == "true")
        #expect(values["RandomizedDelaySec"] != nil)
        #expect(values["WantedBy"] == "timers.target")
        if let systemdAnalyze = Shell.which("systemd-analyze") {
            let next = try Shell.run([systemdAnalyze, "calendar", "--iterations=2", values["OnCalendar"] ?? ""])
            #expect(next.status == 0 && next.output.contains(":05:00"), "\(next)")
        }
    }

    @Test("systemd-analyze verify accepts the four units (the template as an instance)", .enabled(if: Shell.which("systemd-analyze") != nil, "needs systemd-analyze (apt install systemd)"))
    func verify() throws {
        let directory = try Shell.temporaryDirectory("mw-units")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // ExecStart must name an executable: a stand-in script where /usr/bin would be.
        let bindir = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bindir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: bindir + "/modelwatch", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        let files = ["modelwatch.service": "modelwatch.service", "modelwatch.timer": "modelwatch.timer",
                     "modelwatch@.service": "modelwatch@fraud.service", "modelwatch@.timer": "modelwatch@fraud.timer"]
        for (source, target) in files {
            try Self.unit(source, bindir: bindir).write(toFile: "\(directory)/\(target)", atomically: true, encoding: .utf8)
        }
        let outcome = try Shell.run(["systemd-analyze", "verify", "--man=no"] + files.values.sorted().map { "\(directory)/\($0)" }, in: directory)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.output.isEmpty, "no warning either: \(outcome)")
    }
}
