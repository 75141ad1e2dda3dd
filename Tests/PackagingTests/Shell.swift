import Foundation
import Testing

/// Runs commands for the packaging tests, and finds the repository and the built files.
enum Shell {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    struct Outcome: CustomStringConvertible {
        let status: Int32
        let output: String
        var description: String { "exit \(status)\n\(output)" }
    }

    /// Runs `arguments[0]` (a path, or a name looked up in /usr/bin, /usr/sbin, /bin, /sbin) with standard output
    /// and error captured together. `environment` nil: the test's environment.
    static func run(_ arguments: [String], environment: [String: String]? = nil, in directory: String? = nil) throws -> Outcome {
        let name = arguments[0]
        let executable = name.hasPrefix("/") || name.hasPrefix(".") ? name
            : ["/usr/bin", "/usr/sbin", "/bin", "/sbin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? name
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("mw-pkg-out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: capture.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: capture) }
        let handle = try FileHandle(forWritingTo: capture)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return Outcome(status: process.terminationStatus, output: (try? String(contentsOf: capture, encoding: .utf8)) ?? "")
    }

    static func which(_ name: String) -> String? {
        ["/usr/bin", "/usr/sbin", "/bin", "/sbin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A fresh directory under the temporary directory.
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
