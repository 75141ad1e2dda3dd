import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import SyntheticData
import Testing

/// A run killed with SIGKILL at any moment leaves either nothing or the complete output behind — never a
/// partial file, never a temporary file — and the next run succeeds.
@Suite("Killed runs leave no partial state", .serialized)
struct KilledRunTests {
    static var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/modelwatch").path
    }

    /// The test's environment with the state directory (the run lock) inside `directory`, never the real one.
    static func environment(stateIn directory: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["MODELWATCH_STATE_DIR"] = directory.appendingPathComponent("state").path
        return environment
    }

    static func launch(_ arguments: [String], stateIn directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment(stateIn: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Lines without the heartbeat, whose duration differs from run to run.
    static func metricLines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("modelwatch_run") && !$0.hasPrefix("modelwatch_deadline") }
    }

    @Test("SIGKILL at any moment: the output file is absent or complete, and no temporary file is left", arguments: [0.05, 0.3, 0.8, 1.4])
    func killedRun(after seconds: Double) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the modelwatch executable first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var scenario = ScenarioConfig.named("healthy")!
        scenario.days = 10
        scenario.predictionsPerHour = 40
        let written = try ScenarioFiles.write(scenario, to: directory.path, modelName: "kill-model", gzip: false)
        try String(contentsOfFile: written.configPath, encoding: .utf8).replacingOccurrences(of: "    reference_profile: reference-profile.json\n", with: "")
            .write(toFile: written.configPath, atomically: true, encoding: .utf8)
        let asOf = TimeText.format(written.endMs)
        let output = directory.appendingPathComponent("out/points.lp").path
        let reference = directory.appendingPathComponent("reference.lp").path

        let complete = try Self.launch(["run", "--config", written.configPath, "--as-of", asOf, "--output", "file:\(reference)"], stateIn: directory)
        complete.waitUntilExit()
        #expect(complete.terminationStatus == 0)

        let victim = try Self.launch(["run", "--config", written.configPath, "--as-of", asOf, "--output", "file:\(output)"], stateIn: directory)
        Thread.sleep(forTimeInterval: seconds)
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()

        let outputDirectory = directory.appendingPathComponent("out").path
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: outputDirectory)) ?? []).filter { $0 != "points.lp" }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
        if FileManager.default.fileExists(atPath: output) {
            #expect(try Self.metricLines(output) == Self.metricLines(reference), "an output file exists only when complete")
        }

        // The next run is not blocked by the killed one (flock is released by the kernel) and completes.
        let rerun = try Self.launch(["run", "--config", written.configPath, "--as-of", asOf, "--output", "file:\(output)"], stateIn: directory)
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0)
        #expect(try Self.metricLines(output) == Self.metricLines(reference))
    }
}
