import Foundation
import HTTPTransport
@testable import HiveServer2

/// A scripted HiveServer2 peer for codec and error-path tests: each request is answered by the next scripted
/// reply (built with the same ``ThriftWriter`` a real server's bytes are compared against in the Spark tests);
/// every request is recorded.
final class FakeHiveServer: HTTPTransport, @unchecked Sendable {
    typealias Reply = Result<HTTPResponse, TransportError>
    private let lock = NSLock()
    private var script: [Reply]
    private(set) var requests: [HTTPRequest] = []

    init(_ script: [Reply]) { self.script = script }

    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        lock.lock()
        requests.append(request)
        let reply = script.isEmpty ? Reply.failure(TransportError(kind: .connectionRefused, message: "script exhausted")) : script.removeFirst()
        lock.unlock()
        return try reply.get()
    }

    /// Names of the Thrift methods called, in order.
    var methods: [String] {
        requests.map { request in
            var reader = ThriftReader(request.body)
            _ = try? reader.i32()
            return (try? reader.string()) ?? "?"
        }
    }

    // MARK: - Reply builders

    /// A REPLY to `method` whose response struct's fields are written by `fields`.
    static func reply(_ method: String, _ fields: (inout ThriftWriter) -> Void) -> Reply {
        var w = ThriftWriter()
        w.messageBegin(name: method, type: .reply, sequence: 1)
        w.field(.structure, 0)
        fields(&w)
        w.stop()
        w.stop()
        return .success(HTTPResponse(status: 200, headers: ["Content-Type": "application/x-thrift"], body: w.bytes))
    }

    static func status(_ w: inout ThriftWriter, code: Int32 = 0, sqlState: String? = nil, message: String? = nil) {
        w.field(.structure, 1)
        w.field(.i32, 1)
        w.i32(code)
        if let sqlState {
            w.field(.string, 3)
            w.string(sqlState)
        }
        if let message {
            w.field(.string, 5)
            w.string(message)
        }
        w.stop()
    }

    static func identifier(_ w: inout ThriftWriter, byte: UInt8) {
        w.field(.string, 1)
        w.binary(Array(repeating: byte, count: 16))
        w.field(.string, 2)
        w.binary(Array(repeating: byte &+ 1, count: 16))
        w.stop()
    }

    static func openSession(protocol version: Int32 = 9) -> Reply {
        reply("OpenSession") { w in
            status(&w)
            w.field(.i32, 2)
            w.i32(version)
            w.field(.structure, 3)
            w.field(.structure, 1)
            identifier(&w, byte: 0xA0)
            w.stop()
            // A field this client does not know (Databricks-style extension id): must be skipped.
            w.field(.list, 1281)
            w.i8(Int8(ThriftType.structure.rawValue))
            w.i32(1)
            w.field(.string, 1)
            w.string("ignored")
            w.stop()
        }
    }

    static func executeStatement() -> Reply {
        reply("ExecuteStatement") { w in
            status(&w)
            w.field(.structure, 2)
            w.field(.structure, 1)
            identifier(&w, byte: 0xB0)
            w.field(.i32, 2)
            w.i32(0)
            w.field(.bool, 3)
            w.bool(true)
            w.stop()
        }
    }

    static func operationStatus(state: Int32, sqlState: String? = nil, message: String? = nil) -> Reply {
        reply("GetOperationStatus") { w in
            status(&w)
            w.field(.i32, 2)
            w.i32(state)
            if let sqlState {
                w.field(.string, 3)
                w.string(sqlState)
            }
            if let message {
                w.field(.string, 5)
                w.string(message)
            }
        }
    }

    /// Columns `(name, TTypeId)`.
    static func metadata(_ columns: [(String, Int32)]) -> Reply {
        reply("GetResultSetMetadata") { w in
            status(&w)
            w.field(.structure, 2)
            w.field(.list, 1)
            w.i8(Int8(ThriftType.structure.rawValue))
            w.i32(Int32(columns.count))
            for (index, (name, type)) in columns.enumerated() {
                w.field(.string, 1)
                w.string(name)
                w.field(.structure, 2)
                w.field(.list, 1)
                w.i8(Int8(ThriftType.structure.rawValue))
                w.i32(1)
                w.field(.structure, 1)  // primitiveEntry
                w.field(.i32, 1)
                w.i32(type)
                w.stop()
                w.stop()  // TTypeEntry
                w.stop()  // TTypeDesc
                w.field(.i32, 3)
                w.i32(Int32(index + 1))
                w.stop()
            }
            w.stop()
        }
    }

    /// A batch: per column, `(union field id, element writer per row, nulls mask)`.
    static func fetch(rows: Int, columns: [(id: Int16, type: ThriftType, write: (inout ThriftWriter, Int) -> Void, nulls: [UInt8])]) -> Reply {
        reply("FetchResults") { w in
            status(&w)
            w.field(.bool, 2)
            w.bool(false)
            w.field(.structure, 3)
            w.field(.i64, 1)
            w.i64(0)
            w.field(.list, 2)
            w.i8(Int8(ThriftType.structure.rawValue))
            w.i32(0)
            w.field(.list, 3)
            w.i8(Int8(ThriftType.structure.rawValue))
            w.i32(Int32(columns.count))
            for column in columns {
                w.field(.structure, column.id)
                w.field(.list, 1)
                w.i8(Int8(column.type.rawValue))
                w.i32(Int32(rows))
                for row in 0..<rows { column.write(&w, row) }
                w.field(.string, 2)
                w.binary(column.nulls)
                w.stop()
                w.stop()
            }
            w.stop()
        }
    }

    static func closed(_ method: String) -> Reply { reply(method) { w in status(&w) } }
}
