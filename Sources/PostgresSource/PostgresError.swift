/// A PostgreSQL failure, classified so the caller can map it to an exit status.
///
/// Messages come from libpq and the server; libpq never echoes the password, and modelwatch never puts it
/// in a message.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, coarsely.
    public enum Kind: Sendable, Equatable {
        /// The connection could not be opened and retrying later may work (refused, timed out, server
        /// starting up or shutting down, too many connections).
        case unreachable
        /// The connection could not be opened because of its settings: an invalid option, bad credentials,
        /// an unknown database or role, a refused `pg_hba.conf` entry, TLS verification.
        case connectionRejected
        /// The connection was lost or terminated after it was opened (admin shutdown, network, crash).
        case connectionLost
        /// The server rejected a statement; `sqlState` says why (42P01 undefined table, 42703 undefined
        /// column, 42601 syntax error, 42501 insufficient privilege …).
        case statement
    }

    public let kind: Kind
    /// The five-character SQLSTATE of a server error, when there is one.
    public let sqlState: String?
    /// libpq's or the server's message, trimmed.
    public let message: String

    public init(_ kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    /// True when retrying later may succeed without changing the configuration.
    public var isTemporary: Bool {
        switch kind {
        case .unreachable, .connectionLost: return true
        case .connectionRejected: return false
        case .statement:
            guard let sqlState else { return false }
            // 08 connection exception, 40 transaction rollback (serialization, deadlock), 53 insufficient
            // resources, 57 operator intervention (query canceled, admin shutdown, cannot connect now),
            // 58 system error (I/O).
            return ["08", "40", "53", "57", "58"].contains(String(sqlState.prefix(2)))
        }
    }

    public var description: String { sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message }
}
