import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `modelwatch` executable, run as cron would run it: exit codes, stdout/stderr discipline, secrets.
///
/// `swift test` builds the executable product along with the tests; it is found next to the test bundle or
/// under `<repo>/.build/debug/`.
enum Executable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let path: String? = {
        var candidates: [URL] = [
            Bundle.main.bundleURL.appendingPathComponent("modelwatch"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("modelwatch"),
            repositoryRoot.appendingPathComponent(".build/debug/modelwatch"),
        ]
        if let argument = CommandLine.arguments.first {
            candidates.insert(URL(fileURLWithPath: argument).deletingLastPathComponent().appendingPathComponent("modelwatch"), at: 0)
        }
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Outcome: CustomStringConvertible {
        /// The exit code, or -signal when the process was killed by a signal (a crash is never an exit code).
        let status: Int32
        let stdout: String
        let stderr: String
        var description: String {
            "\(status < 0 ? "killed by signal \(-status)" : "exit \(status)")\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)"
        }
    }

    /// Runs modelwatch with `arguments` in a fresh directory; the environment is the test's minus every
    /// INFLUX_* and MODELWATCH_* variable, with a private TMPDIR and MODELWATCH_STATE_DIR, plus `environment`. Killed after
    /// `timeout` seconds. `user` runs it as that uid (and gid), through `setpriv`; the test must then run as root.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 30, user: UInt32? = nil) throws -> Outcome {
        let binary = try #require(path, "the modelwatch executable was not found (looked next to the test bundle and in .build/debug); build it with `swift build`")
        let directory = TemporaryDirectory("modelwatch-cli-io")
        let stdoutPath = directory.file("stdout")
        let stderrPath = directory.file("stderr")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", binary] + arguments
        }
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("INFLUX_") && !$0.key.hasPrefix("MODELWATCH_") }
        // The run lock, and the spool when none is configured, live in the state directory: keep it, and any
        // temporary file, inside the directory removed afterwards (never the real ~/.local/state or /var/lib).
        let temporary = directory.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        if let user { chown(temporary, user, user) }
        env["TMPDIR"] = temporary
        env["MODELWATCH_STATE_DIR"] = directory.file("state")
        if let user {
            // Another user cannot create it inside this root-owned directory: make it theirs.
            try FileManager.default.createDirectory(atPath: directory.file("state"), withIntermediateDirectories: true)
            chown(directory.file("state"), user, user)
        }
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        let out = try #require(FileHandle(forWritingAtPath: stdoutPath))
        let err = try #require(FileHandle(forWritingAtPath: stderrPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw TestFailure("modelwatch \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
            }
            usleep(10_000)
        }
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
    }
}

/// A loopback TCP port that refuses connections: bound (so no one else takes it) but never listening.
final class RefusingPort {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { close(fd); throw TestFailure("bind() failed") }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }
}

private let asOf = "2026-11-20T03:00:00Z"

/// A config over the join fixture (or the bad-rows fixture), written into `directory`.
private func writeConfig(
    in directory: TemporaryDirectory, fixture: String = "join", top: String = "", name: String = "model.yaml"
) -> String {
    directory.write(name, """
        \(top)
        models:
          - name: churn
            window: 1h
            maturity: 1h
            restate_provisional: false
            scores:
              path: '\(Fixture.path("\(fixture)/scores.csv"))'
              columns: {}
            labels:
              path: '\(Fixture.path("\(fixture)/labels.csv"))'
              columns: {time: label_time}

        """)
}

@Suite("Command line: exit codes and output discipline")
struct CommandLineTests {
    struct Invocation: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let status: Int32
        init(_ arguments: String, _ status: Int32) {
            self.arguments = arguments.split(separator: " ").map(String.init)
            self.status = status
        }
        var testDescription: String { "modelwatch \(arguments.joined(separator: " ")) → \(status)" }
    }

    @Test("usage and help", arguments: [
        Invocation("--help", 0),
        Invocation("run --help", 0),
        Invocation("--version", 0),
        Invocation("schema", 0),
        Invocation("run --config x.yaml --bogus", 64),
        Invocation("frobnicate", 64),
        Invocation("run", 64),
        Invocation("run --config x.yaml --output bogus", 64),
        Invocation("run --config x.yaml --output file:", 64),
    ])
    func usage(_ invocation: Invocation) throws {
        let outcome = try Executable.run(invocation.arguments)
        #expect(outcome.status == invocation.status, "\(outcome)")
        if invocation.status == 64 { #expect(!outcome.stderr.isEmpty, "a usage error explains itself on stderr") }
        if invocation.status == 0 { #expect(!outcome.stdout.isEmpty) }
    }

    @Test("--output bogus names the option")
    func badOutputIsExplained() throws {
        let directory = TemporaryDirectory()
        let outcome = try Executable.run(["run", "--config", writeConfig(in: directory), "--output", "bogus"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--output"), "\(outcome)")
    }

    @Test("a bad --as-of or an unknown --model is a usage error", arguments: [
        ["--as-of", "yesterday", "--output", "-"],
        ["--as-of", asOf, "--model", "nope", "--output", "-"],
    ])
    func badRunArguments(_ extra: [String]) throws {
        let directory = TemporaryDirectory()
        let outcome = try Executable.run(["run", "--config", writeConfig(in: directory)] + extra)
        #expect(outcome.status == 64, "\(outcome)")
    }

    @Test("a bad config exits 78 and names the key on stderr", arguments: [
        ("models:\n  - name: m\n    window: 1x\n    maturity: 1d\n", "models[m].window"),
        ("models:\n  - name: m\n    windw: 1h\n", "models[m].windw"),
        ("models: [", "(syntax)"),
    ])
    func badConfig(_ yaml: String, _ key: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.write("bad.yaml", yaml)
        for arguments in [["run", "--config", path, "--output", "-"], ["validate", "--config", path]] {
            let command = arguments[0]
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 78, "\(command): \(outcome)")
            #expect(outcome.stderr.contains(key), "\(command): \(outcome)")
            #expect(outcome.stderr.contains(path), "the message names the file: \(outcome)")
            #expect(outcome.stdout.isEmpty, "\(command): \(outcome)")
        }
    }

    @Test("a missing config file exits 78 naming --config")
    func missingConfigFile() throws {
        let outcome = try Executable.run(["run", "--config", "/nonexistent/modelwatch.yaml", "--output", "-"])
        #expect(outcome.status == 78, "\(outcome)")
        #expect(outcome.stderr.contains("--config"), "\(outcome)")
    }

    @Test("shell completion scripts are generated for bash, zsh and fish, naming the subcommands", arguments: ["bash", "zsh", "fish"])
    func completionScripts(_ shell: String) throws {
        let outcome = try Executable.run(["--generate-completion-script", shell])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("backfill") && outcome.stdout.contains("validate"), "\(outcome.stdout.prefix(400))")
    }

    @Test("the top-level help lists every exit code, with SIGTERM and SIGINT under 75")
    func helpListsExitCodes() throws {
        let outcome = try Executable.run(["--help"])
        #expect(outcome.status == 0, "\(outcome)")
        let help = outcome.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for code in ["0 ok", "64 usage", "65 bad data", "66 missing input", "73 output cannot be created", "75 temporary failure", "78 configuration"] {
            #expect(help.contains(code), "\(code): \(help)")
        }
        let temporary = try #require(help.range(of: "75 temporary failure"))
        let configuration = try #require(help.range(of: "78 configuration"))
        #expect(help[temporary.upperBound..<configuration.lowerBound].contains("SIGTERM or SIGINT"), "\(help)")
    }

    @Test("a missing score file exits 66 (EX_NOINPUT) naming its key, in run and validate")
    func missingInputFile() throws {
        let directory = TemporaryDirectory()
        let config = writeConfig(in: directory, fixture: "no-such-fixture")
        for arguments in [["run", "--config", config, "--as-of", asOf, "--output", "-"], ["validate", "--config", config, "--as-of", asOf]] {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 66, "\(arguments[0]): \(outcome)")
            #expect((outcome.stdout + outcome.stderr).contains("scores.path"), "\(arguments[0]): \(outcome)")
        }
    }

    @Test("an output that cannot be created exits 73 (EX_CANTCREAT) naming the option")
    func unwritableOutput() throws {
        let directory = TemporaryDirectory()
        let notADirectory = directory.write("plain-file", "x")
        let outcome = try Executable.run(["run", "--config", writeConfig(in: directory), "--as-of", asOf, "--output", "file:\(notADirectory)/out.lp"])
        #expect(outcome.status == 73, "\(outcome)")
        #expect((outcome.stdout + outcome.stderr).contains("--output file:"), "\(outcome)")
    }

    @Test("an INFLUX_URL that is not http(s) exits 78 naming INFLUX_URL")
    func badInfluxURL() throws {
        let directory = TemporaryDirectory()
        let outcome = try Executable.run(["run", "--config", writeConfig(in: directory), "--as-of", asOf], environment: ["INFLUX_URL": "localhost:8086"])
        #expect(outcome.status == 78, "\(outcome)")
        #expect(outcome.stderr.contains("INFLUX_URL"), "\(outcome)")
    }

    @Test("run without any InfluxDB or --output exits 78 naming influx.url")
    func noDestination() throws {
        let directory = TemporaryDirectory()
        let outcome = try Executable.run(["run", "--config", writeConfig(in: directory), "--as-of", asOf])
        #expect(outcome.status == 78, "\(outcome)")
        #expect((outcome.stdout + outcome.stderr).contains("influx.url"), "\(outcome)")
    }

    @Test("bad data over the budget exits 65 and writes only the heartbeat")
    func badDataOverBudget() throws {
        let directory = TemporaryDirectory()
        let config = writeConfig(in: directory, fixture: "bad", top: "run:\n  max_bad_rows: 1")
        let output = directory.file("out.lp")
        let outcome = try Executable.run(["run", "--config", config, "--as-of", asOf, "--output", "file:\(output)"])
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.stdout.contains("bad/scores.csv:4:"), "the summary shows the first bad rows: \(outcome)")
        let written = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let lines = written.split(separator: "\n").filter { !$0.hasPrefix("modelwatch_deadline,") }
        #expect(lines.count == 1 && lines[0].hasPrefix("modelwatch_run,model=churn "), "\(written)")
        #expect(written.contains("status=\"data_error\""))

        let validate = try Executable.run(["validate", "--config", config, "--as-of", asOf])
        #expect(validate.status == 65, "\(validate)")
    }

    @Test("validate succeeds with 0 and writes nothing: no output, no spool, no request")
    func validateWritesNothing() throws {
        let directory = TemporaryDirectory()
        let config = writeConfig(in: directory, top: "delivery:\n  spool_dir: spool\n  dead_letter: dead/letters.lp")
        let before = directory.listing()
        let refusing = try RefusingPort()
        let outcome = try Executable.run(
            ["validate", "--config", config, "--as-of", asOf],
            environment: ["INFLUX_URL": "http://127.0.0.1:\(refusing.port)", "INFLUX_TOKEN": "validate-secret-token"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("validate: ok"), "\(outcome)")
        #expect(outcome.stdout.contains("scores: 15 rows read"), "\(outcome)")
        #expect(directory.listing() == before, "validate created files: \(directory.listing())")
        #expect(!(outcome.stdout + outcome.stderr).contains("validate-secret-token"))
    }

    @Test("run --output - prints only line protocol on stdout; the summary goes to stderr")
    func standardOutputCarriesOnlyLineProtocol() throws {
        let directory = TemporaryDirectory()
        let outcome = try Executable.run(["run", "--config", writeConfig(in: directory), "--as-of", asOf, "--output", "-", "--verbose"])
        #expect(outcome.status == 0, "\(outcome)")
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "stdout ends with a newline")
        let parsed = lines.dropLast().map { LineProtocolLine(String($0)) }
        #expect(parsed.count > 5)
        #expect(parsed.allSatisfy { $0?.measurement.hasPrefix("modelwatch_") == true }, "\(outcome.stdout)")
        #expect(parsed.dropLast(2).last??.measurement == "modelwatch_run", "the heartbeat, then its deadline and floor row")
        #expect(parsed.suffix(2).allSatisfy { $0?.measurement == "modelwatch_deadline" })
        #expect(outcome.stderr.contains("modelwatch run as of 2026-11-20T03:00:00Z"), "\(outcome)")
        #expect(outcome.stderr.contains("AUC 0.7917"), "\(outcome)")
        #expect(outcome.stderr.contains("exit 0 (ok)"), "\(outcome)")
    }

    @Test("run --output file:PATH writes the file whole and prints the summary on stdout")
    func fileOutput() throws {
        let directory = TemporaryDirectory()
        let output = directory.file("nested/dir/out.lp")
        let outcome = try Executable.run(["run", "--config", writeConfig(in: directory), "--as-of", asOf, "--output", "file:\(output)"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("→ file \(output)"), "\(outcome)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.split(separator: "\n").allSatisfy { LineProtocolLine(String($0)) != nil })
        #expect(text.contains("modelwatch_performance,model=churn,"))
        #expect(!directory.listing().contains { $0.contains(".tmp") }, "no temporary file is left: \(directory.listing())")
    }

    @Test("an unreachable InfluxDB exits 75 within the retry budget; the points are kept in the configured spool, or without one in the state directory, and nothing is reported lost", arguments: [false, true])
    func unreachableInflux(withSpool: Bool) throws {
        let directory = TemporaryDirectory()
        let token = "tok-\(UUID().uuidString)"
        let top = withSpool ? "delivery:\n  retry_budget: 1s\n  spool_dir: spool" : "delivery:\n  retry_budget: 1s"
        let config = writeConfig(in: directory, top: top)
        let stateRoot = directory.file("state")
        let refusing = try RefusingPort()
        let started = Date()
        let outcome = try Executable.run(
            ["run", "--config", config, "--as-of", asOf, "--verbose"],
            environment: ["INFLUX_URL": "http://127.0.0.1:\(refusing.port)", "INFLUX_TOKEN": token, "MODELWATCH_STATE_DIR": stateRoot],
            timeout: 30)
        let elapsed = Date().timeIntervalSince(started)
        #expect(outcome.status == 75, "\(outcome)")
        #expect(elapsed < 10, "the 1s retry budget bounds the run: \(elapsed)s")
        #expect(outcome.stdout.contains("temporary_failure"), "\(outcome)")
        let firstLine = outcome.stdout.split(separator: "\n").first ?? ""
        #expect(!firstLine.contains("POINTS LOST"), "\(firstLine)")
        #expect(!outcome.stdout.contains(token) && !outcome.stderr.contains(token), "the token leaked: \(outcome)")

        let configured = directory.file("spool")
        let byDefault = StateDirectory(root: stateRoot, origin: "MODELWATCH_STATE_DIR").directory(forConfig: config) + "/spool"
        func spoolFiles(_ spool: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".lp") }.sorted()
        }
        let spool = withSpool ? configured : byDefault
        let files = spoolFiles(spool)
        let spooled = files.compactMap { try? String(contentsOfFile: "\(spool)/\($0)", encoding: .utf8) }.joined()
        #expect(spooled.contains("modelwatch_performance,model=churn,"), "spool: \(files)")
        #expect(spooled.contains("modelwatch_join,model=churn "), "spool: \(files)")
        #expect(spooled.contains("modelwatch_run,model=churn "), "the heartbeat is spooled too: \(files)")
        #expect(!spooled.contains(token))
        #expect(outcome.stdout.contains("spooled"), "\(outcome)")
        #expect(spoolFiles(withSpool ? byDefault : configured).isEmpty, "one spool only")
    }

    @Test(
        "a root-owned 0600 spool file met by another user is a configuration error naming its owner and mode; it blocks nothing and replays once fixed",
        .enabled(if: geteuid() == 0 || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1", "needs root to create another user's file"))
    func spoolFileOfAnotherUser() throws {
        let nobody: UInt32 = 65534
        let server = try InfluxServer()
        defer { server.stop() }
        try server.createDatabase("mw")
        let directory = TemporaryDirectory()
        let spool = directory.file("spool")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        chown(spool, nobody, nobody)
        // Left by a manual `sudo modelwatch run`: root's, mode 0600. Behind it, a file of the job's user.
        let rootFile = "\(spool)/000000000000001-000001.lp"
        directory.write("spool/000000000000001-000001.lp", "model_test,series=perm idx=0i 1785000000000\n")
        chmod(rootFile, 0o600)
        directory.write("spool/000000000000002-000001.lp", "model_test,series=perm idx=1i 1785000001000\n")
        chown("\(spool)/000000000000002-000001.lp", nobody, nobody)
        let config = writeConfig(in: directory, top: "delivery:\n  spool_dir: spool")
        let environment = ["INFLUX_URL": server.url, "INFLUX_DATABASE": "mw"]

        let blocked = try Executable.run(["flush", "--config", config], environment: environment, user: nobody)
        #expect(blocked.status == 78, "\(blocked)")
        #expect(
            blocked.stdout.contains("\(rootFile) cannot be read: permission denied: it is owned by root (uid 0), group gid 0, mode 0600, "
                + "and this process runs as nobody (uid 65534)"), "\(blocked)")
        #expect(blocked.stdout.contains("1 points replayed"), "the file behind it is delivered: \(blocked)")
        #expect(FileManager.default.fileExists(atPath: rootFile), "the unreadable file is left for the operator")
        #expect(try server.query("SELECT idx FROM model_test", database: "mw").rows.count == 1)

        chown(rootFile, nobody, nobody)  // the fix the message asks for
        let fixed = try Executable.run(["flush", "--config", config], environment: environment, user: nobody)
        #expect(fixed.status == 0, "\(fixed)")
        #expect(try server.query("SELECT idx FROM model_test", database: "mw").rows.map { $0["idx"]?.double } == [0, 1])
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".lp") }.isEmpty)
    }

    @Test("a damaged spool file is quarantined beside the dead-letter file; the summary names it and the heartbeat counts it")
    func damagedSpoolFileIsCounted() throws {
        let directory = TemporaryDirectory()
        let spool = directory.file("state/spool")
        // Cut inside its last timestamp, in the format of earlier versions (no header).
        directory.write("state/spool/000000000000001-000001.lp", "model_test,series=cut idx=0i 1785000000000\nmodel_test,series=cut idx=1i 17")
        let config = writeConfig(in: directory, top: "delivery:\n  retry_budget: 1s\n  spool_dir: state/spool\n  dead_letter: state/dead-letter.lp")
        let refusing = try RefusingPort()
        let outcome = try Executable.run(["run", "--config", config, "--as-of", asOf], environment: ["INFLUX_URL": "http://127.0.0.1:\(refusing.port)"])
        #expect(outcome.status == 75, "\(outcome)")
        let quarantine = directory.file("state/quarantine")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: quarantine)) ?? []).sorted() == ["000000000000001-000001.lp", "000000000000001-000001.lp.reason"])
        #expect(outcome.stdout.contains("1 spool file failed the check, quarantined: \(quarantine)/000000000000001-000001.lp"), "\(outcome)")
        #expect(outcome.stderr.contains("moved to the quarantine"), "\(outcome)")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".lp") }
        let heartbeat = try #require(files.compactMap { try? String(contentsOfFile: "\(spool)/\($0)", encoding: .utf8) }
            .joined().split(separator: "\n").first { $0.hasPrefix("modelwatch_run,") }.flatMap { LineProtocolLine(String($0)) })
        #expect(heartbeat.integer("spool_files_quarantined") == 1)
    }

    @Test("credentials in INFLUX_URL are never printed, in any form, and a warning says they are discouraged")
    func credentialsInURLAreNotPrinted() throws {
        let directory = TemporaryDirectory()
        let config = writeConfig(in: directory, top: "delivery:\n  retry_budget: 1s\n  spool_dir: spool")
        let refusing = try RefusingPort()
        let outcome = try Executable.run(
            ["run", "--config", config, "--as-of", asOf], environment: ["INFLUX_URL": "http://mw:s3cretpw42@127.0.0.1:\(refusing.port)"], timeout: 30)
        #expect(outcome.status == 75, "\(outcome)")
        let firstLine = outcome.stdout.split(separator: "\n").first ?? ""
        #expect(firstLine.contains("InfluxDB http://127.0.0.1:\(refusing.port)/write?"), "\(firstLine)")
        for form in ["s3cretpw42", "mw:s3cret", Data("mw:s3cretpw42".utf8).base64EncodedString()] {
            #expect(!outcome.stdout.contains(form) && !outcome.stderr.contains(form), "`\(form)` leaked: \(outcome)")
        }
        #expect(outcome.stderr.contains("influx.url contains credentials") && outcome.stderr.contains("discouraged"), "\(outcome)")
    }

    @Test("a spool over its cap drops its oldest points, and the heartbeat and the summary say how many")
    func spoolCapDropsAreReported() throws {
        let directory = TemporaryDirectory()
        // One byte of spool: every new batch file evicts the older ones (the newest is always kept).
        let config = writeConfig(in: directory, top: "delivery:\n  retry_budget: 1s\n  spool_dir: spool\n  spool_max_bytes: 1\n  batch_lines: 3")
        let refusing = try RefusingPort()
        let outcome = try Executable.run(
            ["run", "--config", config, "--as-of", asOf],
            environment: ["INFLUX_URL": "http://127.0.0.1:\(refusing.port)", "INFLUX_TOKEN": "t"], timeout: 30)
        #expect(outcome.status == 75, "\(outcome)")
        let spool = directory.file("spool")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".lp") }
        #expect(files.count == 1, "only the newest batch, the heartbeat's, is left: \(files)")
        let heartbeat = try #require(files.compactMap { try? String(contentsOfFile: "\(spool)/\($0)", encoding: .utf8) }
            .joined().split(separator: "\n").first { $0.hasPrefix("modelwatch_run,") }.flatMap { LineProtocolLine(String($0)) })
        let spooled = try #require(heartbeat.integer("points_spooled"))
        let dropped = try #require(heartbeat.integer("points_dropped_spool_full"))
        // Batches of 3: all but the last metric batch are evicted while the metric points are spooled.
        #expect(spooled > 3 && dropped == spooled - ((spooled - 1) % 3 + 1), "spooled \(spooled), dropped \(dropped)")
        #expect(heartbeat.integer("points_lost") == 0)
        #expect(heartbeat.integer("points_replayed") == 0)
        #expect(outcome.stdout.contains("dropped (spool full)"), "\(outcome)")
    }

    @Test("INFLUX_TOKEN never appears in the output, even when the config is wrong")
    func tokenNeverPrinted() throws {
        let directory = TemporaryDirectory()
        let token = "tok-\(UUID().uuidString)"
        let config = writeConfig(in: directory, top: "influx:\n  api: v2\n  bucket: b")
        let outcome = try Executable.run(
            ["run", "--config", config, "--as-of", asOf, "--verbose"],
            environment: ["INFLUX_URL": "http://127.0.0.1:9", "INFLUX_TOKEN": token])
        #expect(outcome.status == 78, "\(outcome)")
        #expect(outcome.stderr.contains("influx.org"), "\(outcome)")
        #expect(!outcome.stdout.contains(token) && !outcome.stderr.contains(token))
    }
}
