/// The subset of Apache Hive's `TCLIService.thrift` this client sends and reads: OpenSession, ExecuteStatement,
/// GetOperationStatus, GetResultSetMetadata, FetchResults, CloseOperation and CloseSession, with the field ids of
/// the IDL. Each call's body is `<Method>_args{1: request}`; a reply's is `<Method>_result{0: response}`.
enum TCLI {
    /// `HIVE_CLI_SERVICE_PROTOCOL_V10` (value 9): the version sent; Spark answers min(client, server).
    static let clientProtocol: Int32 = 9
    /// V6 (value 5): the first with column-based result sets, the lowest this client accepts.
    static let minimumServerProtocol: Int32 = 5

    /// `THandleIdentifier` with the fields of a session or operation handle, kept to be sent back as received.
    struct Handle: Sendable, Equatable {
        var guid: [UInt8] = []
        var secret: [UInt8] = []
        /// Operation handles only: `operationType`, `hasResultSet`, `modifiedRowCount`.
        var operationType: Int32 = 0
        var hasResultSet = false
        var modifiedRowCount: Double? = nil
    }

    /// `TStatus`.
    struct Status: Sendable, Equatable {
        var code: Int32 = -1
        var sqlState: String? = nil
        var errorMessage: String? = nil
        var infoMessages: [String] = []

        var isSuccess: Bool { code == 0 || code == 1 }
        static let invalidHandle: Int32 = 4
    }

    // MARK: - Requests

    static func openSession(sequence: Int32, configuration: [(String, String)]) -> [UInt8] {
        call("OpenSession", sequence) { w in
            w.field(.i32, 1)
            w.i32(clientProtocol)
            if !configuration.isEmpty { w.stringMap(4, configuration) }
        }
    }

    static func executeStatement(sequence: Int32, session: Handle, statement: String, queryTimeoutSeconds: Int64) -> [UInt8] {
        call("ExecuteStatement", sequence) { w in
            w.field(.structure, 1)
            writeSession(session, &w)
            w.field(.string, 2)
            w.string(statement)
            w.field(.bool, 4)
            w.bool(true)
            if queryTimeoutSeconds > 0 {
                w.field(.i64, 5)
                w.i64(queryTimeoutSeconds)
            }
        }
    }

    static func getOperationStatus(sequence: Int32, operation: Handle) -> [UInt8] {
        call("GetOperationStatus", sequence) { w in
            w.field(.structure, 1)
            writeOperation(operation, &w)
        }
    }

    static func getResultSetMetadata(sequence: Int32, operation: Handle) -> [UInt8] {
        call("GetResultSetMetadata", sequence) { w in
            w.field(.structure, 1)
            writeOperation(operation, &w)
        }
    }

    static func fetchResults(sequence: Int32, operation: Handle, maxRows: Int64) -> [UInt8] {
        call("FetchResults", sequence) { w in
            w.field(.structure, 1)
            writeOperation(operation, &w)
            w.field(.i32, 2)
            w.i32(0)  // FETCH_NEXT
            w.field(.i64, 3)
            w.i64(maxRows)
            w.field(.i16, 4)
            w.i16(0)  // results, not logs
        }
    }

    static func closeOperation(sequence: Int32, operation: Handle) -> [UInt8] {
        call("CloseOperation", sequence) { w in
            w.field(.structure, 1)
            writeOperation(operation, &w)
        }
    }

    static func closeSession(sequence: Int32, session: Handle) -> [UInt8] {
        call("CloseSession", sequence) { w in
            w.field(.structure, 1)
            writeSession(session, &w)
        }
    }

    /// A CALL message whose args struct holds the request struct (field 1) written by `request`.
    private static func call(_ name: String, _ sequence: Int32, _ request: (inout ThriftWriter) -> Void) -> [UInt8] {
        var w = ThriftWriter()
        w.messageBegin(name: name, type: .call, sequence: sequence)
        w.field(.structure, 1)
        request(&w)
        w.stop()  // request struct
        w.stop()  // args struct
        return w.bytes
    }

    private static func writeIdentifier(_ handle: Handle, _ w: inout ThriftWriter) {
        w.field(.string, 1)
        w.binary(handle.guid)
        w.field(.string, 2)
        w.binary(handle.secret)
        w.stop()
    }

    /// `TSessionHandle{1: THandleIdentifier}` (the caller has written the field header).
    private static func writeSession(_ handle: Handle, _ w: inout ThriftWriter) {
        w.field(.structure, 1)
        writeIdentifier(handle, &w)
        w.stop()
    }

    /// `TOperationHandle{1 id, 2 operationType, 3 hasResultSet, 4 modifiedRowCount}`.
    private static func writeOperation(_ handle: Handle, _ w: inout ThriftWriter) {
        w.field(.structure, 1)
        writeIdentifier(handle, &w)
        w.field(.i32, 2)
        w.i32(handle.operationType)
        w.field(.bool, 3)
        w.bool(handle.hasResultSet)
        if let count = handle.modifiedRowCount {
            w.field(.double, 4)
            w.i64(Int64(bitPattern: count.bitPattern))
        }
        w.stop()
    }

    // MARK: - Replies

    /// Reads the message header of a reply to `method` and positions `reader` at its response struct's fields;
    /// an EXCEPTION message becomes a protocol error carrying the server's text.
    static func openReply(_ body: [UInt8], method: String, sequence: Int32) throws(HiveServer2Error) -> ThriftReader {
        var r = ThriftReader(body)
        let first = try r.i32()
        let type: UInt8
        let name: String
        if first < 0 {
            guard UInt32(bitPattern: first) & 0xFFFF_0000 == 0x8001_0000 else {
                throw HiveServer2Error(.protocolError, "the reply to \(method) is not a Thrift binary-protocol message (version word \(String(UInt32(bitPattern: first), radix: 16)))")
            }
            type = UInt8(UInt32(bitPattern: first) & 0xFF)
            name = try r.string()
        } else {
            // Non-strict: the name's length came first.
            guard first <= 256 else { throw HiveServer2Error(.protocolError, "the reply to \(method) is not a Thrift message") }
            var bytes: [UInt8] = []
            for _ in 0..<first { bytes.append(UInt8(bitPattern: try r.i8())) }
            name = String(decoding: bytes, as: UTF8.self)
            type = UInt8(bitPattern: try r.i8())
        }
        _ = try r.i32()  // sequence id (one call per HTTP exchange: nothing to match)
        if type == ThriftMessageType.exception.rawValue {
            var message = "", exceptionType: Int32 = 0
            try r.readStruct { r, fieldType, id throws(HiveServer2Error) in
                switch (id, fieldType) {
                case (1, ThriftType.string.rawValue): message = try r.string()
                case (2, ThriftType.i32.rawValue): exceptionType = try r.i32()
                default: return false
                }
                return true
            }
            throw HiveServer2Error(.protocolError, "the server refused the \(method) call (Thrift exception type \(exceptionType)): \(HiveServer2Error.shorten(message))")
        }
        guard type == ThriftMessageType.reply.rawValue, name == method else {
            throw HiveServer2Error(.protocolError, "expected a reply to \(method), got message type \(type) for `\(name)`")
        }
        // `<Method>_result`: field 0 is the response struct.
        guard let (fieldType, id) = try r.fieldBegin(), id == 0, fieldType == ThriftType.structure.rawValue else {
            throw HiveServer2Error(.protocolError, "the reply to \(method) carries no response")
        }
        return r
    }

    static func readStatus(_ r: inout ThriftReader) throws(HiveServer2Error) -> Status {
        var status = Status()
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.i32.rawValue): status.code = try r.i32()
            case (2, ThriftType.list.rawValue):
                let (elementType, count) = try r.listBegin()
                for _ in 0..<count {
                    if elementType == ThriftType.string.rawValue { status.infoMessages.append(try r.string()) } else { try r.skip(elementType) }
                }
            case (3, ThriftType.string.rawValue): status.sqlState = try r.string()
            case (5, ThriftType.string.rawValue): status.errorMessage = try r.string()
            default: return false
            }
            return true
        }
        return status
    }

    static func readIdentifier(_ r: inout ThriftReader, into handle: inout Handle) throws(HiveServer2Error) {
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.string.rawValue): handle.guid = try r.binary()
            case (2, ThriftType.string.rawValue): handle.secret = try r.binary()
            default: return false
            }
            return true
        }
    }

    static func readSessionHandle(_ r: inout ThriftReader) throws(HiveServer2Error) -> Handle {
        var handle = Handle()
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            guard id == 1, type == ThriftType.structure.rawValue else { return false }
            try readIdentifier(&r, into: &handle)
            return true
        }
        return handle
    }

    static func readOperationHandle(_ r: inout ThriftReader) throws(HiveServer2Error) -> Handle {
        var handle = Handle()
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.structure.rawValue): try readIdentifier(&r, into: &handle)
            case (2, ThriftType.i32.rawValue): handle.operationType = try r.i32()
            case (3, ThriftType.bool.rawValue): handle.hasResultSet = try r.bool()
            case (4, ThriftType.double.rawValue): handle.modifiedRowCount = try r.double()
            default: return false
            }
            return true
        }
        return handle
    }

    /// `TOpenSessionResp`.
    struct OpenSessionResponse {
        var status = Status()
        var serverProtocol: Int32 = -1
        var session: Handle? = nil
    }

    static func readOpenSession(_ r: inout ThriftReader) throws(HiveServer2Error) -> OpenSessionResponse {
        var response = OpenSessionResponse()
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.structure.rawValue): response.status = try readStatus(&r)
            case (2, ThriftType.i32.rawValue): response.serverProtocol = try r.i32()
            case (3, ThriftType.structure.rawValue): response.session = try readSessionHandle(&r)
            default: return false
            }
            return true
        }
        return response
    }

    /// `TExecuteStatementResp` (status, operation handle).
    static func readExecuteStatement(_ r: inout ThriftReader) throws(HiveServer2Error) -> (Status, Handle?) {
        var status = Status(), handle: Handle?
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.structure.rawValue): status = try readStatus(&r)
            case (2, ThriftType.structure.rawValue): handle = try readOperationHandle(&r)
            default: return false
            }
            return true
        }
        return (status, handle)
    }

    /// `TGetOperationStatusResp` (the fields used).
    struct OperationStatus {
        var status = Status()
        var state: Int32 = -1
        var sqlState: String? = nil
        var errorMessage: String? = nil
    }

    /// `TOperationState` values this client distinguishes.
    enum OperationState {
        static let running: Set<Int32> = [0, 1, 7]  // INITIALIZED, RUNNING, PENDING
        static let finished: Int32 = 2
        static let names = ["INITIALIZED", "RUNNING", "FINISHED", "CANCELED", "CLOSED", "ERROR", "UNKNOWN", "PENDING", "TIMEDOUT"]
    }

    static func readOperationStatus(_ r: inout ThriftReader) throws(HiveServer2Error) -> OperationStatus {
        var response = OperationStatus()
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.structure.rawValue): response.status = try readStatus(&r)
            case (2, ThriftType.i32.rawValue): response.state = try r.i32()
            case (3, ThriftType.string.rawValue): response.sqlState = try r.string()
            case (5, ThriftType.string.rawValue): response.errorMessage = try r.string()
            default: return false
            }
            return true
        }
        return response
    }

    /// `TGetResultSetMetadataResp`: the columns, and Databricks' `resultFormat` (field 1281) when present.
    static func readResultSetMetadata(_ r: inout ThriftReader) throws(HiveServer2Error) -> (Status, [HiveColumnDescription], Int32?) {
        var status = Status(), columns: [HiveColumnDescription] = [], format: Int32?
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.structure.rawValue): status = try readStatus(&r)
            case (2, ThriftType.structure.rawValue): columns = try readTableSchema(&r)
            case (1281, ThriftType.i32.rawValue): format = try r.i32()
            default: return false
            }
            return true
        }
        return (status, columns, format)
    }

    /// `TTableSchema{1 list<TColumnDesc{1 columnName, 2 TTypeDesc{1 list<TTypeEntry>}, 3 position}>}`.
    private static func readTableSchema(_ r: inout ThriftReader) throws(HiveServer2Error) -> [HiveColumnDescription] {
        var columns: [(position: Int32, column: HiveColumnDescription)] = []
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            guard id == 1, type == ThriftType.list.rawValue else { return false }
            let (elementType, count) = try r.listBegin()
            try ThriftReader.expect(elementType, .structure, field: "TTableSchema.columns")
            for index in 0..<count {
                var name = "", typeID: Int32 = -1, position = Int32(index)
                try r.readStruct { r, type, id throws(HiveServer2Error) in
                    switch (id, type) {
                    case (1, ThriftType.string.rawValue): name = try r.string()
                    case (2, ThriftType.structure.rawValue): typeID = try readTypeDesc(&r)
                    case (3, ThriftType.i32.rawValue): position = try r.i32()
                    default: return false
                    }
                    return true
                }
                columns.append((position, HiveColumnDescription(name: name, typeID: typeID)))
            }
            return true
        }
        return columns.sorted { $0.position < $1.position }.map(\.column)
    }

    /// The top type of a `TTypeDesc`: the first entry's primitive type id (-1 for a complex type).
    private static func readTypeDesc(_ r: inout ThriftReader) throws(HiveServer2Error) -> Int32 {
        var top: Int32?
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            guard id == 1, type == ThriftType.list.rawValue else { return false }
            let (elementType, count) = try r.listBegin()
            for _ in 0..<count {
                guard elementType == ThriftType.structure.rawValue, top == nil else { try r.skip(elementType); continue }
                var entryType: Int32 = -1
                try r.readStruct { r, type, id throws(HiveServer2Error) in
                    guard id == 1, type == ThriftType.structure.rawValue else { return false }  // primitiveEntry
                    try r.readStruct { r, type, id throws(HiveServer2Error) in
                        guard id == 1, type == ThriftType.i32.rawValue else { return false }
                        entryType = try r.i32()
                        return true
                    }
                    return true
                }
                top = entryType
            }
            return true
        }
        return top ?? -1
    }

    /// `TFetchResultsResp`: the status and the batch's columns (``ColumnBatch``).
    static func readFetchResults(_ r: inout ThriftReader) throws(HiveServer2Error) -> (Status, [ColumnBatch]) {
        var status = Status(), columns: [ColumnBatch] = []
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (1, ThriftType.structure.rawValue): status = try readStatus(&r)
            case (3, ThriftType.structure.rawValue): columns = try readRowSet(&r)
            default: return false
            }
            return true
        }
        return (status, columns)
    }

    /// `TRowSet`: only the column-based form (`columns`, field 3); rows (protocol < V6), Arrow batches and result
    /// links (Databricks 1281/1282, sent only to clients that ask for them) are refused.
    private static func readRowSet(_ r: inout ThriftReader) throws(HiveServer2Error) -> [ColumnBatch] {
        var columns: [ColumnBatch] = []
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            switch (id, type) {
            case (2, ThriftType.list.rawValue):
                let (elementType, count) = try r.listBegin()
                guard count == 0 else { throw HiveServer2Error(.protocolError, "the server sent a row-based result set (protocol before V6), which this client does not read") }
                _ = elementType
            case (3, ThriftType.list.rawValue):
                let (elementType, count) = try r.listBegin()
                try ThriftReader.expect(elementType, .structure, field: "TRowSet.columns")
                for _ in 0..<count { columns.append(try readColumn(&r)) }
            case (1281, _), (1282, _):
                throw HiveServer2Error(.protocolError, "the server sent Arrow batches or result links instead of columns, which this client does not read")
            default: return false
            }
            return true
        }
        return columns
    }

    /// One `TColumn` (a union of typed value lists, each with a null bitmask, least-significant bit first; a
    /// short or empty mask means the remaining rows are not null).
    static func readColumn(_ r: inout ThriftReader) throws(HiveServer2Error) -> ColumnBatch {
        var batch = ColumnBatch(values: [])
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            guard (1...8).contains(id), type == ThriftType.structure.rawValue else { return false }
            var values: [HiveValue] = [], nulls: [UInt8] = []
            try r.readStruct { r, type, field throws(HiveServer2Error) in
                switch (field, type) {
                case (1, ThriftType.list.rawValue):
                    let (elementType, count) = try r.listBegin()
                    values.reserveCapacity(count)
                    for _ in 0..<count {
                        switch (id, elementType) {
                        case (1, ThriftType.bool.rawValue): values.append(.bool(try r.bool()))
                        case (2, ThriftType.byte.rawValue): values.append(.int(Int64(try r.i8())))
                        case (3, ThriftType.i16.rawValue): values.append(.int(Int64(try r.i16())))
                        case (4, ThriftType.i32.rawValue): values.append(.int(Int64(try r.i32())))
                        case (5, ThriftType.i64.rawValue): values.append(.int(try r.i64()))
                        case (6, ThriftType.double.rawValue): values.append(.double(try r.double()))
                        case (7, ThriftType.string.rawValue): values.append(.string(try r.string()))
                        case (8, ThriftType.string.rawValue): values.append(.binary(try r.binary()))
                        default: throw HiveServer2Error(.protocolError, "the server sent a column (union field \(id)) with elements of Thrift type \(elementType)")
                        }
                    }
                case (2, ThriftType.string.rawValue): nulls = try r.binary()
                default: return false
                }
                return true
            }
            for (index, byte) in nulls.enumerated() where byte != 0 {
                for bit in 0..<8 where byte & (1 << bit) != 0 {
                    let row = index * 8 + bit
                    if row < values.count { values[row] = .null }
                }
            }
            batch.values = values
            return true
        }
        return batch
    }

    /// One column of one fetched batch.
    struct ColumnBatch: Equatable {
        var values: [HiveValue]
    }
}
