/// Decoding of Thrift `TBinaryProtocol` replies: bounds-checked reads, struct field iteration, and skipping of
/// fields this client does not know (recursively, by type), which is how Thrift peers stay compatible: servers
/// add fields (Databricks uses ids from 1281) and old clients ignore them.
struct ThriftReader {
    private let bytes: [UInt8]
    private(set) var offset = 0
    /// Nesting depth, bounded so a hostile reply cannot exhaust the stack.
    private var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func take(_ count: Int) throws(HiveServer2Error) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else {
            throw HiveServer2Error(.protocolError, "the server's reply is truncated (needed \(count) bytes at offset \(offset) of \(bytes.count))")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    private mutating func unsigned(_ count: Int) throws(HiveServer2Error) -> UInt64 {
        var value: UInt64 = 0
        for byte in try take(count) { value = value << 8 | UInt64(byte) }
        return value
    }

    mutating func i8() throws(HiveServer2Error) -> Int8 { Int8(bitPattern: UInt8(try unsigned(1))) }
    mutating func i16() throws(HiveServer2Error) -> Int16 { Int16(bitPattern: UInt16(try unsigned(2))) }
    mutating func i32() throws(HiveServer2Error) -> Int32 { Int32(bitPattern: UInt32(try unsigned(4))) }
    mutating func i64() throws(HiveServer2Error) -> Int64 { Int64(bitPattern: try unsigned(8)) }
    mutating func double() throws(HiveServer2Error) -> Double { Double(bitPattern: try unsigned(8)) }
    mutating func bool() throws(HiveServer2Error) -> Bool { try unsigned(1) != 0 }
    mutating func binary() throws(HiveServer2Error) -> [UInt8] {
        let count = Int(try i32())
        guard count >= 0 else { throw HiveServer2Error(.protocolError, "the server's reply has a negative length \(count)") }
        return Array(try take(count))
    }
    mutating func string() throws(HiveServer2Error) -> String { String(decoding: try binary(), as: UTF8.self) }

    /// The next field header, or nil at STOP.
    mutating func fieldBegin() throws(HiveServer2Error) -> (type: UInt8, id: Int16)? {
        let type = UInt8(bitPattern: try i8())
        if type == ThriftType.stop.rawValue { return nil }
        return (type, try i16())
    }

    /// Calls `body` for each field of a struct (its header already consumed by the caller's field); `body` returns
    /// false for a field it does not read, which is then skipped.
    mutating func readStruct(_ body: (inout ThriftReader, _ type: UInt8, _ id: Int16) throws(HiveServer2Error) -> Bool) throws(HiveServer2Error) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw HiveServer2Error(.protocolError, "the server's reply nests structs more than 64 deep") }
        while let (type, id) = try fieldBegin() {
            if try !body(&self, type, id) { try skip(type) }
        }
    }

    /// A list header: the element type and count.
    mutating func listBegin() throws(HiveServer2Error) -> (type: UInt8, count: Int) {
        let type = UInt8(bitPattern: try i8())
        let count = Int(try i32())
        // Every element takes at least one byte, so a larger count is a corrupt reply (and would allocate wildly).
        guard count >= 0, count <= bytes.count - offset else {
            throw HiveServer2Error(.protocolError, "the server's reply has a list of \(count) elements in \(bytes.count - offset) bytes")
        }
        return (type, count)
    }

    /// Skips one value of `type`.
    mutating func skip(_ type: UInt8) throws(HiveServer2Error) {
        switch ThriftType(rawValue: type) {
        case .bool?, .byte?: _ = try take(1)
        case .i16?: _ = try take(2)
        case .i32?: _ = try take(4)
        case .i64?, .double?: _ = try take(8)
        case .uuid?: _ = try take(16)
        case .string?: _ = try binary()
        case .structure?: try readStruct { _, _, _ in false }
        case .map?:
            let keyType = UInt8(bitPattern: try i8()), valueType = UInt8(bitPattern: try i8())
            let count = Int(try i32())
            guard count >= 0, count <= bytes.count - offset else { throw HiveServer2Error(.protocolError, "the server's reply has a map of \(count) entries") }
            for _ in 0..<count {
                try skip(keyType)
                try skip(valueType)
            }
        case .list?, .set?:
            let (elementType, count) = try listBegin()
            for _ in 0..<count { try skip(elementType) }
        case .stop?, nil:
            throw HiveServer2Error(.protocolError, "the server's reply has an unknown Thrift type \(type) at offset \(offset)")
        }
    }

    /// Checks that a field has the expected type (a mismatch is a protocol error, not a skip: the ids are ours).
    static func expect(_ type: UInt8, _ wanted: ThriftType, field: String) throws(HiveServer2Error) {
        guard type == wanted.rawValue else {
            throw HiveServer2Error(.protocolError, "the server's reply has field \(field) of Thrift type \(type), expected \(wanted)")
        }
    }
}
