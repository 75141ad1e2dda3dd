/// A configuration problem, always naming the key (or environment variable) at fault.
///
/// Maps to exit code 78 (`EX_CONFIG`).
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The key path, e.g. `models[fraud].window`, or an environment variable name.
    public let key: String
    /// What is wrong and, where possible, how to fix it.
    public let message: String
    /// The config file, when the problem is in it.
    public let file: String?

    public init(key: String, _ message: String, file: String? = nil) {
        self.key = key
        self.message = message
        self.file = file
    }

    public var description: String {
        if let file { return "\(file): \(key): \(message)" }
        return "\(key): \(message)"
    }
}
