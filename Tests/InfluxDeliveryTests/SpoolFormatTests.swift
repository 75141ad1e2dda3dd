import Testing
@testable import InfluxDelivery

/// The spool file's header and the line check behind the quarantine.
@Suite("Spool file format and line check")
struct SpoolFormatTests {
    @Test("CRC-32 is the zlib/gzip checksum")
    func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test("a file round-trips through its header")
    func roundTrip() throws {
        let batch = LineBatch(Array("m,t=a f=1i 1785000000000\nm,t=b s=\"x y\",b=true 1785000001000\n".utf8))
        let file = SpoolFormat.encode(batch)
        #expect(String(decoding: file, as: UTF8.self).hasPrefix("#modelwatch-spool v1 lines=2 bytes=\(batch.bytes.count) crc32="))
        #expect(try SpoolFormat.decode(file).get() == batch)
    }

    @Test("complete points pass", arguments: [
        "m f=1 1785000000000",
        #"my\ meas,tag\,k=v\ 1,t2=x f=-1.5e3,g=7i,h=8u,s="a \"q\" b",b=T 0"#,
        "m f=1 -1785000000000",
        "m,t=é f=1 1",
    ])
    func completePoints(line: String) {
        #expect(LineProtocolCheck.problem(in: ArraySlice(Array(line.utf8))) == nil)
    }

    @Test("damaged lines are named with the reason", arguments: [
        ("m f=1 17850\u{0}0000", "control byte 0x00 at column 12"),
        ("m f=1", "no timestamp"),
        ("m 1785000000000", "field without `=`"),
        ("m", "no fields"),
        ("m f= 1", "field value missing"),
        ("m f=abc 1", "field value `abc` is not a number, string or boolean"),
        (#"m s="open 1"#, "unterminated string"),
        ("m f=1 17x", "timestamp is not an integer"),
        ("m,t f=1 1", "tag without `=`"),
        (",t=a f=1 1", "no measurement"),
        ("m\tx f=1 1", "control byte 0x09"),
    ])
    func damagedLines(line: String, reason: String) {
        let problem = LineProtocolCheck.problem(in: ArraySlice(Array(line.utf8)))
        #expect(problem?.contains(reason) == true, "\(problem ?? "nil")")
    }

    @Test("invalid UTF-8 is a damaged line")
    func invalidUTF8() {
        #expect(LineProtocolCheck.problem(in: ArraySlice(Array("m f=".utf8) + [0xFF] + Array(" 1".utf8))) == "not valid UTF-8")
    }

    @Test("a file whose header disagrees with its body is refused", arguments: [
        ("#modelwatch-spool v1 lines=1 bytes=99 crc32=00000000\nm f=1 1\n", "wrong length"),
        ("#modelwatch-spool v1 lines=1 bytes=8 crc32=00000000\nm f=1 1\n", "checksum mismatch"),
        ("#modelwatch-spool v1 lines=1 bytes=8\nm f=1 1\n", "bad header"),
        ("#modelwatch-spool v1 lines=1 bytes=8 crc32=0", "bad header: the header line is cut off"),
        ("m f=1 1\nm f=2 17", "cut short"),
    ])
    func refusedFiles(text: String, reason: String) {
        guard case .failure(let defect) = SpoolFormat.decode(Array(text.utf8)) else { Issue.record("accepted"); return }
        #expect("\(defect)".contains(reason), "\(defect)")
    }
}
