import Foundation

/// Starts and stops the test servers' processes, their output going to a log file in their directory.
enum ServerProcess {
    /// Runs `binary` with `arguments` (and `environment` added to this process's), logging to `log`.
    static func launch(_ binary: String, arguments: [String], environment: [String: String] = [:], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Terminates the process, waits for it, and deletes the server's directory.
    static func stop(_ process: Process, removing directory: URL) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
