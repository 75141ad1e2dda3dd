import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing

/// Every file modelwatch reads (config, scores, labels, profile) fails with its path and the cause in plain words.
@Suite("File errors name the path and the cause")
struct FileAccessErrorTests {
    /// A directory with a subdirectory, a symlink loop and a dangling symlink.
    static func hostileDirectory() -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        try! FileManager.default.createDirectory(atPath: directory.file("adir"), withIntermediateDirectories: true)
        try! FileManager.default.createSymbolicLink(atPath: directory.file("loop-a"), withDestinationPath: directory.file("loop-b"))
        try! FileManager.default.createSymbolicLink(atPath: directory.file("loop-b"), withDestinationPath: directory.file("loop-a"))
        return directory
    }

    @Test("--config: a directory, a symlink loop, a missing file and a file under a file each say what they are", arguments: [
        ("adir", "it is a directory, not a file (EISDIR)", FileAccessError.Cause.isDirectory),
        ("loop-a", "symlink loop (ELOOP)", .symlinkLoop),
        ("missing.yaml", "no such file or directory (ENOENT)", .notFound),
        ("adir/missing/x.yaml", "no such file or directory (ENOENT)", .notFound),
    ])
    func configFile(_ name: String, _ words: String, _ cause: FileAccessError.Cause) {
        #expect(cause.text.hasSuffix(words))
        let directory = Self.hostileDirectory()
        let path = directory.file(name)
        do {
            _ = try ConfigLoader.load(path: path, environment: [:])
            Issue.record("loaded \(path)")
        } catch {
            #expect(error.key == "--config")
            #expect(error.message.hasPrefix("cannot read the config file `\(path)`: "), "\(error)")
            #expect(error.message.hasSuffix(words), "\(error)")
            #expect(!error.description.contains("NSCocoaErrorDomain"))
        }
    }

    @Test("a config file that is not UTF-8 says so with the offset of the bad byte")
    func configNotUTF8() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("latin1.yaml")
        FileManager.default.createFile(atPath: path, contents: Data([0x23, 0x20, 0xE9, 0x0A]))
        #expect(throws: ConfigError(key: "--config", "the config file `\(path)` is not UTF-8 (an invalid byte at offset 2)")) {
            try ConfigLoader.load(path: path, environment: [:])
        }
    }

    @Test("scores, labels and profile paths: a symlink loop, a directory and a missing file name the key, path and cause", arguments: [
        ("scores", "loop-a", "symlink loop (ELOOP)"),
        ("labels", "loop-a", "symlink loop (ELOOP)"),
        ("scores", "nothing.csv", "no such file or directory (ENOENT)"),
        ("reference_profile", "adir", "it is a directory, not a file (EISDIR)"),
        ("reference_profile", "loop-a", "symlink loop (ELOOP)"),
        ("reference_profile", "none.json", "no such file or directory (ENOENT) (create it with `modelwatch profile`)"),
    ])
    func sourceFiles(_ which: String, _ name: String, _ words: String) throws {
        let directory = Self.hostileDirectory()
        let scores = which == "scores" ? directory.file(name) : directory.write("scores.csv", "prediction_id,prediction_time,score\np1,2026-11-20T01:00:00Z,0.5\n")
        let labels = which == "labels" ? directory.file(name) : directory.write("labels.csv", "prediction_id,label\np1,1\n")
        let profile = which == "reference_profile" ? "\n    reference_profile: '\(directory.file(name))'" : ""
        let yaml = """
            models:
              - name: m
                window: 1d
                maturity: 1d\(profile)
                scores: {path: '\(scores)', columns: {}}
                labels: {path: '\(labels)', columns: {}}
            """
        let run = try runPipeline(yaml: yaml, asOf: "2026-11-21T00:00:00Z", in: directory)
        #expect(run.report.exitStatus == .noInput, "an input file that cannot be read is EX_NOINPUT (66)")
        let message = try #require(run.report.models.first?.message)
        #expect(message.hasPrefix("models[m].\(which)\(which == "reference_profile" ? "" : ".path"): cannot read `\(directory.file(name))`: "), "\(message)")
        #expect(message.hasSuffix(words), "\(message)")
    }
}
