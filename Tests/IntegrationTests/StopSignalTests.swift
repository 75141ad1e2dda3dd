import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import SyntheticData
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT on the real executable: the model in progress is finished, the others are skipped, the
/// run exits 75; a second signal or the end of `run.stop_grace` stops it at once, also with 75.
///
/// To signal at a known moment, one of the first model's files is a named pipe: the test's end of it opens only
/// once modelwatch is reading that file (past the point where it decides whether to start the model), and the
/// model cannot finish until the test has written the file. The files are gzip files, which modelwatch opens
/// once (it samples the head of a plain file first to size its arrays).
@Suite("Stop signals on the executable", .serialized)
struct StopSignalTests {
    /// A scenario with two models (the first reading its labels or scores from a named pipe) and the run's process.
    struct Scenario {
        let directory: URL
        let configPath: String
        let asOf: String
        /// The named pipe the first model reads (its labels, or its scores) and what belongs in it.
        let pipePath: String
        let pipeContent: Data
        let output: String

        /// `pipe` names the first model's file read from the named pipe: `labels` or `scores`.
        init(stopGrace: String, pipe: String = "labels", predictionsPerHour: Int = 40, threads: Int? = nil) throws {
            // Writing to a pipe whose reader has gone must fail with EPIPE here, not end the test process.
            signal(SIGPIPE, SIG_IGN)
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelwatch-stop-\(UUID().uuidString)")
            var scenario = ScenarioConfig.named("healthy")!
            scenario.days = 10
            scenario.predictionsPerHour = predictionsPerHour
            let written = try ScenarioFiles.write(scenario, to: directory.path, modelName: "first-model", gzip: true)
            asOf = TimeText.format(written.endMs)
            pipePath = directory.appendingPathComponent("\(pipe)-pipe.csv.gz").path
            pipeContent = try #require(FileManager.default.contents(atPath: directory.appendingPathComponent("\(pipe).csv.gz").path))
            try #require(mkfifo(pipePath, 0o600) == 0, "mkfifo: \(String(cString: strerror(errno)))")
            output = directory.appendingPathComponent("out/points.lp").path
            var yaml = try String(contentsOfFile: written.configPath, encoding: .utf8)
                .replacingOccurrences(of: "    reference_profile: reference-profile.json\n", with: "")
                .replacingOccurrences(of: "run:\n", with: "run:\n  stop_grace: \(stopGrace)\n" + (threads.map { "  threads: \($0)\n" } ?? ""))
            let models = try #require(yaml.range(of: "  - name: first-model"))
            let firstModel = String(yaml[models.lowerBound...])
            yaml = String(yaml[..<models.lowerBound]).replacingOccurrences(
                of: "models:\n", with: "delivery:\n  spool_dir: \(directory.appendingPathComponent("spool").path)\nmodels:\n")
                + firstModel.replacingOccurrences(of: "path: \(pipe).csv.gz", with: "path: \(pipe)-pipe.csv.gz")
                + firstModel.replacingOccurrences(of: "name: first-model", with: "name: second-model")
            configPath = written.configPath
            try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        func launch() throws -> (Process, Pipe) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: KilledRunTests.binary)
            process.arguments = ["run", "--config", configPath, "--as-of", asOf, "--output", "file:\(output)"]
            process.environment = KilledRunTests.environment(stateIn: directory)
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            return (process, errors)
        }

        /// Opens the pipe for writing once modelwatch has opened it for reading (nil if it exits or 60 s pass).
        func openPipe(while process: Process) -> Int32? {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && process.isRunning {
                let descriptor = open(pipePath, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 {
                    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
                    return descriptor
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
            return nil
        }

        /// Writes the pipe's content, `slice` bytes at a time with `pause` seconds between slices (all at once by
        /// default), and closes it; returns the bytes written before the reader closed its end (EPIPE).
        @discardableResult
        func writeContent(to descriptor: Int32, slice: Int = .max, pause: Double = 0) -> Int {
            defer { close(descriptor) }
            return pipeContent.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let count = write(descriptor, bytes.baseAddress! + offset, min(slice, bytes.count - offset))
                    if count <= 0 { break }  // EPIPE: the reader has closed its end
                    offset += count
                    if pause > 0 { Thread.sleep(forTimeInterval: pause) }
                }
                return offset
            }
        }

        /// Waits for the process to end (killing it after `seconds`); its exit status and standard error.
        static func finish(_ process: Process, _ errors: Pipe, within seconds: Double) -> (status: Int32, errors: String, seconds: Double) {
            let start = Date()
            while process.isRunning && Date().timeIntervalSince(start) < seconds { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning { process.terminate(); kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, text, Date().timeIntervalSince(start))
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("SIGTERM while the first model runs: it is finished and written, the second is skipped with a heartbeat, exit 75")
    func gracefulStop() throws {
        try #require(FileManager.default.isExecutableFile(atPath: KilledRunTests.binary), "build the modelwatch executable first")
        let scenario = try Scenario(stopGrace: "60s")
        defer { scenario.remove() }
        let (process, errors) = try scenario.launch()
        let pipe = try #require(scenario.openPipe(while: process), "modelwatch never opened the label pipe")
        kill(process.processIdentifier, SIGTERM)
        #expect(scenario.writeContent(to: pipe) == scenario.pipeContent.count)
        let end = Scenario.finish(process, errors, within: 120)
        #expect(end.status == 75, "\(end.errors)")
        #expect(end.errors.contains("stop requested (SIGTERM or SIGINT)"), "\(end.errors)")
        let lines = try String(contentsOfFile: scenario.output, encoding: .utf8).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
        let heartbeats = Dictionary(uniqueKeysWithValues: lines.filter { $0.measurement == "modelwatch_run" }.map { ($0.tags["model"]!, $0) })
        #expect(heartbeats["first-model"]?.fields["status"] == "\"ok\"")
        #expect(heartbeats["second-model"]?.fields["status"] == "\"temporary_failure\"")
        #expect(heartbeats["second-model"]?.fields["exit_code"] == "75i")
        let performance = lines.filter { $0.measurement == "modelwatch_performance" }
        #expect(!performance.isEmpty && performance.allSatisfy { $0.tags["model"] == "first-model" },
                "the first model's metrics are written, with the labels it read after the signal")
        #expect(performance.contains { ($0.number("n") ?? 0) > 0 })
    }

    @Test("still running run.stop_grace after SIGTERM: stopped with exit 75, nothing half-written")
    func graceRunsOut() throws {
        try #require(FileManager.default.isExecutableFile(atPath: KilledRunTests.binary), "build the modelwatch executable first")
        let scenario = try Scenario(stopGrace: "1s")
        defer { scenario.remove() }
        let (process, errors) = try scenario.launch()
        // The pipe is opened and never written: the first model cannot finish.
        let sample = try #require(scenario.openPipe(while: process), "modelwatch never opened the label pipe")
        defer { close(sample) }
        kill(process.processIdentifier, SIGTERM)
        let end = Scenario.finish(process, errors, within: 60)
        #expect(end.status == 75, "\(end.errors)")
        #expect(end.errors.contains("still running run.stop_grace after the stop signal: stopped; exit 75"), "\(end.errors)")
        #expect(end.seconds < 30)
        #expect(!FileManager.default.fileExists(atPath: scenario.output))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: (scenario.output as NSString).deletingLastPathComponent)) ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("still reading near the end of run.stop_grace: the read is abandoned, every heartbeat is written, exit 75 before the hard stop")
    func readAbandonedBeforeTheHardStop() throws {
        try #require(FileManager.default.isExecutableFile(atPath: KilledRunTests.binary), "build the modelwatch executable first")
        // One thread: the score file is opened once, by the row-by-row reader. A grace of 6 s abandons reads 3 s in.
        let scenario = try Scenario(stopGrace: "6s", pipe: "scores", predictionsPerHour: 400, threads: 1)
        defer { scenario.remove() }
        let (process, errors) = try scenario.launch()
        let pipe = try #require(scenario.openPipe(while: process), "modelwatch never opened the score pipe")
        kill(process.processIdentifier, SIGTERM)
        // About 640 KB/s of gzip: the scores take far longer than the grace period to arrive.
        let written = scenario.writeContent(to: pipe, slice: 64 << 10, pause: 0.1)
        #expect(written < scenario.pipeContent.count, "the read was abandoned before the file ended")
        let end = Scenario.finish(process, errors, within: 60)
        #expect(end.status == 75, "\(end.errors)")
        #expect(!end.errors.contains("still running run.stop_grace"), "no hard stop: \(end.errors)")
        let lines = try String(contentsOfFile: scenario.output, encoding: .utf8).split(separator: "\n").compactMap { LineProtocolLine(String($0)) }
            .filter { $0.measurement != "modelwatch_deadline" }
        #expect(lines.map(\.measurement) == ["modelwatch_run", "modelwatch_run"], "heartbeats (and their deadlines) only")
        #expect(lines.map { $0.tags["model"] ?? "" } == ["first-model", "second-model"])
        #expect(lines.allSatisfy { $0.fields["exit_code"] == "75i" })
    }

    @Test("a second signal stops at once with exit 75", arguments: [SIGTERM, SIGINT])
    func secondSignal(signal: Int32) throws {
        try #require(FileManager.default.isExecutableFile(atPath: KilledRunTests.binary), "build the modelwatch executable first")
        let scenario = try Scenario(stopGrace: "10m")
        defer { scenario.remove() }
        let (process, errors) = try scenario.launch()
        let sample = try #require(scenario.openPipe(while: process), "modelwatch never opened the label pipe")
        defer { close(sample) }
        kill(process.processIdentifier, signal)
        Thread.sleep(forTimeInterval: 0.2)
        kill(process.processIdentifier, signal)
        let end = Scenario.finish(process, errors, within: 60)
        #expect(end.status == 75, "\(end.errors)")
        #expect(end.errors.contains("second stop signal: stopping now; exit 75"), "\(end.errors)")
        #expect(end.seconds < 30, "the 10-minute grace period was not waited for")
    }
}
