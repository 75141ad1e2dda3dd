/// Thrift `TBinaryProtocol` (strict) encoding of the values the HiveServer2 requests use: big-endian integers,
/// length-prefixed strings, struct fields as (type, id, value) ended by STOP, and the message header.
///
/// The wire format is apache/thrift `doc/specs/thrift-binary-protocol.md`; only what ``TCLIRequest`` needs is here.
struct ThriftWriter {
    private(set) var bytes: [UInt8] = []

    mutating func i8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }
    mutating func i16(_ value: Int16) { append(UInt64(UInt16(bitPattern: value)), count: 2) }
    mutating func i32(_ value: Int32) { append(UInt64(UInt32(bitPattern: value)), count: 4) }
    mutating func i64(_ value: Int64) { append(UInt64(bitPattern: value), count: 8) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func binary(_ value: [UInt8]) {
        i32(Int32(value.count))
        bytes += value
    }
    mutating func string(_ value: String) { binary(Array(value.utf8)) }

    /// A field header: its type code and id.
    mutating func field(_ type: ThriftType, _ id: Int16) {
        i8(Int8(type.rawValue))
        i16(id)
    }
    /// The end of a struct.
    mutating func stop() { i8(0) }

    /// A strict message header (`0x8001` version, the type, the method name, the sequence id).
    mutating func messageBegin(name: String, type: ThriftMessageType, sequence: Int32) {
        i32(Int32(bitPattern: 0x8001_0000 | UInt32(type.rawValue)))
        string(name)
        i32(sequence)
    }

    /// A `map<string,string>` field.
    mutating func stringMap(_ id: Int16, _ map: [(String, String)]) {
        field(.map, id)
        i8(Int8(ThriftType.string.rawValue))
        i8(Int8(ThriftType.string.rawValue))
        i32(Int32(map.count))
        for (key, value) in map {
            string(key)
            string(value)
        }
    }

    private mutating func append(_ value: UInt64, count: Int) {
        for shift in stride(from: (count - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// Thrift field type codes (TBinaryProtocol).
enum ThriftType: UInt8, Sendable {
    case stop = 0, bool = 2, byte = 3, double = 4, i16 = 6, i32 = 8, i64 = 10, string = 11, structure = 12, map = 13, set = 14, list = 15, uuid = 16
}

/// Thrift message types.
enum ThriftMessageType: UInt8, Sendable {
    case call = 1, reply = 2, exception = 3, oneway = 4
}
