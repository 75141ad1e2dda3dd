/// A failure while compressing or decompressing gzip data.
public enum GzipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// zlib could not set up a stream (usually out of memory); carries the zlib return code.
    case initializationFailed(code: Int32)
    /// The compressed input is not valid gzip/zlib data; carries zlib's message.
    case corruptData(message: String)
    /// The input ended in the middle of a gzip member (or was empty).
    case truncatedData
    /// zlib reported an unexpected failure while compressing; carries the zlib return code.
    case compressionFailed(code: Int32)

    /// User-facing text prefixed with `gzip:`.
    public var description: String {
        switch self {
        case .initializationFailed(let code): "gzip: zlib initialisation failed (code \(code))"
        case .corruptData(let message): "gzip: corrupt data: \(message)"
        case .truncatedData: "gzip: truncated data (input ended inside a gzip member)"
        case .compressionFailed(let code): "gzip: compression failed (code \(code))"
        }
    }
}
