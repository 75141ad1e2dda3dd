/// Why a spool could not be opened or written.
public enum SpoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process (or another `Spool` in this one) holds the lock.
    case locked(String)
    /// A file-system operation failed.
    case io(String)

    public var description: String {
        switch self {
        case .locked(let message): return "spool locked: \(message)"
        case .io(let message): return "spool I/O error: \(message)"
        }
    }
}
