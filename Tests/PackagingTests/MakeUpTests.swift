import Foundation
import Testing

/// `make up` must not start the stack with the example's public passwords.
@Suite("make up refuses unsafe secrets")
struct MakeUpTests {
    @Test("without .env, or with a change-me value left in it, make up exits non-zero, says what to do and starts nothing", .enabled(if: Shell.which("make") != nil), arguments: ["missing", "change-me"])
    func refuses(case name: String) throws {
        let directory = try Shell.temporaryDirectory("mw-make-up")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: Shell.repositoryRoot + "/Makefile", toPath: directory + "/Makefile")
        try FileManager.default.copyItem(atPath: Shell.repositoryRoot + "/.env.example", toPath: directory + "/.env.example")
        if name == "change-me" {
            // Every secret replaced but one.
            let example = try String(contentsOfFile: directory + "/.env.example", encoding: .utf8)
            var replaced = false
            let lines = example.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.contains("=change-me") else { return String(line) }
                if !replaced { replaced = true; return String(line) }
                return line.replacingOccurrences(of: "change-me", with: "s3cret")
            }
            try lines.joined(separator: "\n").write(toFile: directory + "/.env", atomically: true, encoding: .utf8)
        }
        // A docker that records being called, first on PATH.
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for tool in ["docker", "docker-compose"] {
            FileManager.default.createFile(atPath: "\(bin)/\(tool)", contents: Data("#!/bin/sh\ntouch \(directory)/started\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let outcome = try Shell.run(["make", "--no-print-directory", "up"], environment: environment, in: directory)
        #expect(outcome.status != 0, "\(outcome)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/started"), "docker was called: \(outcome)")
        if name == "missing" {
            #expect(outcome.output.contains("cp .env.example .env"), "\(outcome)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/.env"), "no .env with the example's passwords is made")
        } else {
            #expect(outcome.output.contains("change-me") && outcome.output.contains("replace"), "\(outcome)")
        }
    }

    @Test("with every secret set, make up starts the stack", .enabled(if: Shell.which("make") != nil))
    func startsWhenSet() throws {
        let directory = try Shell.temporaryDirectory("mw-make-up")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: Shell.repositoryRoot + "/Makefile", toPath: directory + "/Makefile")
        let example = try String(contentsOfFile: Shell.repositoryRoot + "/.env.example", encoding: .utf8)
        try example.replacingOccurrences(of: "change-me", with: "s3cret").write(toFile: directory + "/.env", atomically: true, encoding: .utf8)
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for tool in ["docker", "docker-compose"] {
            FileManager.default.createFile(atPath: "\(bin)/\(tool)", contents: Data("#!/bin/sh\ntouch \(directory)/started\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let outcome = try Shell.run(["make", "--no-print-directory", "up"], environment: environment, in: directory)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(FileManager.default.fileExists(atPath: directory + "/started"))
    }
}
