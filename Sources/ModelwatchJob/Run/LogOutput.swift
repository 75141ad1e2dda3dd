import Foundation
import Logging
import ModelwatchConfiguration

/// A swift-log handler writing one line per message to standard error as text, logfmt or JSON.
///
/// Metadata values are written as given; modelwatch never puts secrets in log metadata.
public struct LogOutput: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let format: LogFormat
    private let label: String

    public init(label: String, format: LogFormat, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let timestamp = TimeText.format(Int64(Date().timeIntervalSince1970 * 1000))
        let pairs = merged.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        var line: String
        switch format {
        case .text:
            line = "\(timestamp) \(event.level) \(event.message)"
            for (key, value) in pairs { line += " \(key)=\(value)" }
        case .logfmt:
            line = "ts=\(timestamp) level=\(event.level) logger=\(label) msg=\(Self.logfmt("\(event.message)"))"
            for (key, value) in pairs { line += " \(key)=\(Self.logfmt(value))" }
        case .json:
            var object: [String: String] = ["ts": timestamp, "level": "\(event.level)", "logger": label, "msg": "\(event.message)"]
            for (key, value) in pairs { object[key] = value }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A logfmt value: bare when it has no space, quote, `=` or line break, else quoted with `\\`, `"` and line breaks escaped.
    static func logfmt(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
