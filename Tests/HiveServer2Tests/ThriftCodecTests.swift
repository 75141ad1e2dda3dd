import HTTPTransport
import Testing
@testable import HiveServer2

/// The binary protocol against bytes written out by hand from apache/thrift `thrift-binary-protocol.md`, and the
/// decoder's handling of what real servers send (unknown fields, short null masks, exceptions).
@Suite struct ThriftCodecTests {
    @Test func openSessionRequestIsAStrictCallWithProtocolV10() {
        let bytes = TCLI.openSession(sequence: 7, configuration: [("use:database", "lake")])
        var expected: [UInt8] = [0x80, 0x01, 0x00, 0x01, 0, 0, 0, 11] + Array("OpenSession".utf8) + [0, 0, 0, 7]
        expected += [12, 0, 1]  // args field 1: struct
        expected += [8, 0, 1, 0, 0, 0, 9]  // client_protocol = 9 (V10)
        expected += [13, 0, 4, 11, 11, 0, 0, 0, 1, 0, 0, 0, 12] + Array("use:database".utf8) + [0, 0, 0, 4] + Array("lake".utf8)
        expected += [0, 0]  // STOP request, STOP args
        #expect(bytes == expected)
    }

    @Test(arguments: [
        (Int64(0), [UInt8](repeating: 0, count: 8)), (Int64(-2), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]),
        (Int64(0x0102030405060708), [1, 2, 3, 4, 5, 6, 7, 8]),
    ])
    func integersAreBigEndian(value: Int64, bytes: [UInt8]) throws {
        var w = ThriftWriter()
        w.i64(value)
        #expect(w.bytes == bytes)
        var r = ThriftReader(w.bytes)
        #expect(try r.i64() == value)
    }

    @Test func doublesTravelAsTheirBits() throws {
        var w = ThriftWriter()
        w.i64(Int64(bitPattern: (0.1).bitPattern))
        var r = ThriftReader(w.bytes)
        #expect(try r.double() == 0.1)
    }

    @Test func unknownFieldsOfEveryKindAreSkipped() throws {
        var w = ThriftWriter()
        w.field(.map, 900)
        w.i8(Int8(ThriftType.string.rawValue)); w.i8(Int8(ThriftType.list.rawValue)); w.i32(1)
        w.string("k"); w.i8(Int8(ThriftType.i32.rawValue)); w.i32(2); w.i32(1); w.i32(2)
        w.field(.double, 901); w.i64(0)
        w.field(.uuid, 902); for _ in 0..<16 { w.i8(0) }
        w.field(.i32, 1); w.i32(42)
        w.stop()
        var r = ThriftReader(w.bytes)
        var seen: Int32?
        try r.readStruct { r, type, id throws(HiveServer2Error) in
            guard id == 1 else { return false }
            seen = try r.i32()
            return true
        }
        #expect(seen == 42)
        #expect(r.offset == w.bytes.count)
    }

    @Test func truncatedRepliesAreProtocolErrorsNotCrashes() {
        var w = ThriftWriter()
        w.field(.string, 1)
        w.i32(1000)  // claims 1000 bytes, has none
        var r = ThriftReader(w.bytes)
        #expect(throws: HiveServer2Error.self) { try r.readStruct { _, _, _ in false } }
    }

    @Test func nullMasksAreLeastSignificantBitFirstAndMayBeShort() throws {
        // Spark's BitSet.toByteArray drops trailing zero bytes: rows 1 and 9 null, row 10 not (mask of 2 bytes for 11 rows).
        var w = ThriftWriter()
        w.field(.structure, 5)  // i64Val
        w.field(.list, 1); w.i8(Int8(ThriftType.i64.rawValue)); w.i32(11)
        for value in 0..<11 { w.i64(Int64(value)) }
        w.field(.string, 2); w.binary([0x02, 0x02])
        w.stop(); w.stop()
        var r = ThriftReader(w.bytes)
        let column = try TCLI.readColumn(&r)
        #expect(column.values[0] == .int(0))
        #expect(column.values[1] == .null)
        #expect(column.values[8] == .int(8))
        #expect(column.values[9] == .null)
        #expect(column.values[10] == .int(10))
    }

    @Test func anExceptionMessageBecomesAProtocolErrorWithTheServersText() {
        var w = ThriftWriter()
        w.messageBegin(name: "OpenSession", type: .exception, sequence: 1)
        w.field(.string, 1); w.string("Required field 'client_protocol' is unset!")
        w.field(.i32, 2); w.i32(7)
        w.stop()
        do {
            _ = try TCLI.openReply(w.bytes, method: "OpenSession", sequence: 1)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .protocolError)
            #expect(error.message.contains("client_protocol"))
        }
    }

    @Test(arguments: [
        ("u", "p", "Basic dTpw"), ("user", "pässword", "Basic dXNlcjpww6Rzc3dvcmQ="),
    ])
    func basicCredentialsAreBase64OfUserColonPassword(user: String, password: String, header: String) {
        #expect(HiveServer2Endpoint(url: "http://h/cliservice", credentials: .basic(user: user, password: password)).authorization == header)
    }

    @Test func serverMessagesAreShortenedToTheirFirstLineWithoutJavaPrefixes() {
        let text = "org.apache.hive.service.cli.HiveSQLException: Error running query: [TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found.\n\tat org.apache.spark..."
        #expect(HiveServer2Error.shorten(text) == "[TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found.")
        #expect(HiveServer2Error.shorten(String(repeating: "a", count: 1000), limit: 10) == "aaaaaaaaaa…")
    }
}
