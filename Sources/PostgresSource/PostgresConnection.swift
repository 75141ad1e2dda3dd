import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One synchronous libpq connection. Not thread-safe; one per source read, closed when released.
///
/// Rows are streamed through a server-side cursor (`DECLARE … NO SCROLL CURSOR` + `FETCH n`) inside a
/// read-only transaction, so memory is bounded by one batch whatever the table size.
public final class PostgresConnection {
    private let connection: OpaquePointer

    /// Well-known type OIDs (pg_type.oid), for choosing how to bind a time bound.
    public enum TypeOID {
        public static let bool: UInt32 = 16
        public static let int8: UInt32 = 20
        public static let int2: UInt32 = 21
        public static let int4: UInt32 = 23
        public static let text: UInt32 = 25
        public static let float4: UInt32 = 700
        public static let float8: UInt32 = 701
        public static let varchar: UInt32 = 1043
        public static let date: UInt32 = 1082
        public static let timestamp: UInt32 = 1114
        public static let timestamptz: UInt32 = 1184
        public static let numeric: UInt32 = 1700
    }

    /// Opens a connection.
    ///
    /// - Throws: ``PostgresError`` with kind `.unreachable` (retry later) or `.connectionRejected` (fix the settings).
    public init(_ settings: PostgresSettings) throws(PostgresError) {
        let pairs = settings.keywords
        var keywordPointers = pairs.map { strdup($0.0) } + [nil]
        var valuePointers = pairs.map { strdup($0.1) } + [nil]
        defer {
            for pointer in keywordPointers { free(pointer) }
            for pointer in valuePointers {
                // Scrub the password copy before freeing it.
                if let pointer { memset(pointer, 0, strlen(pointer)) }
                free(pointer)
            }
        }
        let raw: OpaquePointer? = keywordPointers.withUnsafeMutableBufferPointer { keywords in
            valuePointers.withUnsafeMutableBufferPointer { values in
                keywords.withMemoryRebound(to: UnsafePointer<CChar>?.self) { k in
                    values.withMemoryRebound(to: UnsafePointer<CChar>?.self) { v in
                        PQconnectdbParams(k.baseAddress, v.baseAddress, 0)
                    }
                }
            }
        }
        guard let raw else { throw PostgresError(.unreachable, message: "libpq could not allocate a connection") }
        guard PQstatus(raw) == CONNECTION_OK else {
            let message = Self.trim(String(cString: PQerrorMessage(raw)))
            PQfinish(raw)
            throw PostgresError(Self.connectFailureIsTemporary(message) ? .unreachable : .connectionRejected, message: message)
        }
        connection = raw
    }

    deinit { PQfinish(connection) }

    /// Whether a failed connection attempt is worth retrying later (the server is down, busy or starting);
    /// anything else (bad option, credentials, unknown database, TLS) needs a configuration change.
    static func connectFailureIsTemporary(_ message: String) -> Bool {
        let temporary = [
            "Connection refused", "timeout expired", "Connection timed out", "No route to host", "Network is unreachable",
            "the database system is starting up", "the database system is shutting down", "the database system is in recovery",
            "too many clients", "too many connections", "server closed the connection unexpectedly", "Connection reset",
            "could not receive data", "could not send data",
        ]
        return temporary.contains { message.contains($0) }
    }

    /// The server version number (e.g. 150018).
    public var serverVersion: Int { Int(PQserverVersion(connection)) }

    /// The backend's process id (for `pg_terminate_backend` in tests and logs).
    public var backendPID: Int { Int(PQbackendPID(connection)) }

    // MARK: - Statements

    /// Runs a statement without parameters and discards its result.
    public func execute(_ sql: String) throws(PostgresError) {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result)
    }

    /// Runs a parameterised query (text parameters; nil is SQL NULL) and returns all rows as text.
    /// For small catalog queries only; stream large results with ``stream(_:parameters:parameterTypes:batchRows:onRow:)``.
    public func query(_ sql: String, parameters: [String?] = [], parameterTypes: [UInt32] = []) throws(PostgresError) -> [[String?]] {
        let result = try executeParams(sql, parameters: parameters, parameterTypes: parameterTypes)
        defer { PQclear(result) }
        let rows = Int(PQntuples(result))
        let columns = Int(PQnfields(result))
        return (0..<rows).map { row in
            (0..<columns).map { column in
                PQgetisnull(result, Int32(row), Int32(column)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
            }
        }
    }

    /// The result columns (name, type OID) of a query, without running it (prepare + describe).
    public func describe(_ sql: String, parameterTypes: [UInt32]) throws(PostgresError) -> [(name: String, type: UInt32)] {
        let prepared = parameterTypes.withUnsafeBufferPointer { types in
            PQprepare(connection, "", sql, Int32(types.count), types.baseAddress)
        }
        defer { PQclear(prepared) }
        try check(prepared)
        let description = PQdescribePrepared(connection, "")
        defer { PQclear(description) }
        try check(description)
        return (0..<PQnfields(description)).map { column in
            (String(cString: PQfname(description, column)), UInt32(PQftype(description, column)))
        }
    }

    /// Streams the rows of a query through a server-side cursor, `batchRows` at a time.
    ///
    /// Runs `BEGIN READ ONLY`, `DECLARE modelwatch_cursor NO SCROLL CURSOR FOR <sql>` with the parameters,
    /// then `FETCH batchRows` until no row is left, then `COMMIT`. Values are text (UTC, ISO dates).
    /// `onRow` gets a ``PostgresRow`` valid only during the call.
    public func stream<Failure: Error>(
        _ sql: String, parameters: [String?], parameterTypes: [UInt32], batchRows: Int = 10_000,
        onRow: (PostgresRow) throws(Failure) -> Void
    ) throws(StreamError<Failure>) {
        do {
            try execute("BEGIN READ ONLY")
            let declared = try executeParams(
                "DECLARE modelwatch_cursor NO SCROLL CURSOR FOR " + sql, parameters: parameters, parameterTypes: parameterTypes)
            PQclear(declared)
        } catch {
            rollbackQuietly()
            throw .postgres(error)
        }
        var rowNumber = 0
        while true {
            let batch = PQexec(connection, "FETCH \(batchRows) FROM modelwatch_cursor")
            do {
                try check(batch)
            } catch {
                PQclear(batch)
                rollbackQuietly()
                throw .postgres(error)
            }
            let rows = PQntuples(batch)
            let columns = PQnfields(batch)
            do {
                for row in 0..<rows {
                    rowNumber += 1
                    try onRow(PostgresRow(result: batch, row: row, columns: columns, number: rowNumber))
                }
            } catch {
                PQclear(batch)
                rollbackQuietly()
                throw .row(error)
            }
            PQclear(batch)
            if rows < Int32(batchRows) { break }
        }
        do {
            try execute("CLOSE modelwatch_cursor")
            try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw .postgres(error)
        }
    }

    /// What ``stream(_:parameters:parameterTypes:batchRows:onRow:)`` throws: a database error or the row handler's.
    public enum StreamError<Failure: Error>: Error {
        case postgres(PostgresError)
        case row(Failure)
    }

    // MARK: - Helpers

    private func executeParams(_ sql: String, parameters: [String?], parameterTypes: [UInt32]) throws(PostgresError) -> OpaquePointer? {
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        let types = parameterTypes.isEmpty ? nil : parameterTypes
        let result: OpaquePointer? = copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            if let types {
                return types.withUnsafeBufferPointer { typePointer in
                    PQexecParams(connection, sql, Int32(values.count), typePointer.baseAddress, values.baseAddress, nil, nil, 0)
                }
            }
            return PQexecParams(connection, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
        }
        do {
            try check(result)
        } catch {
            PQclear(result)
            throw error
        }
        return result
    }

    /// Throws unless `result` is a success; classifies the failure.
    private func check(_ result: OpaquePointer?) throws(PostgresError) {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK { return }
        let sqlState = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        var message = result.flatMap { PQresultErrorMessage($0) }.map { Self.trim(String(cString: $0)) } ?? ""
        if message.isEmpty { message = Self.trim(String(cString: PQerrorMessage(connection))) }
        if PQstatus(connection) != CONNECTION_OK {
            throw PostgresError(.connectionLost, sqlState: sqlState, message: message.isEmpty ? "the connection to the server was lost" : message)
        }
        throw PostgresError(.statement, sqlState: sqlState, message: message.isEmpty ? "unexpected result status \(status.rawValue)" : message)
    }

    private func rollbackQuietly() {
        guard PQstatus(connection) == CONNECTION_OK else { return }
        PQclear(PQexec(connection, "ROLLBACK"))
    }

    static func trim(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `name` as a quoted SQL identifier (`"a""b"`).
    public static func quoteIdentifier(_ name: String) -> String {
        var quoted = "\""
        for character in name {
            quoted.append(character)
            if character == "\"" { quoted.append(character) }
        }
        return quoted + "\""
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
