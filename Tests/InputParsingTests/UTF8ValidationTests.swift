import InputParsing
import Testing
import TestSupport

/// The UTF-8 check agrees with the standard library's validating decoder and points at the first bad byte.
@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    static func check(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) }
    }

    @Test("well-formed and ill-formed sequences", arguments: [
        ([UInt8](), nil), (Array("plain ascii, long enough for words".utf8), nil), (Array("São Paulo 東京 ⚡ 𝄞".utf8), nil),
        ([0x61, 0xFF], 1), ([0x80], 0), ([0xC3], 0), ([0x61, 0x62, 0xC3, 0x28], 2), ([0xC0, 0xAF], 0), ([0xC1, 0xBF], 0),
        ([0xE0, 0x80, 0xAF], 0), ([0xED, 0xA0, 0x80], 0), ([0xF0, 0x80, 0x80, 0xAF], 0), ([0xF4, 0x90, 0x80, 0x80], 0),
        ([0xF5, 0x80, 0x80, 0x80], 0), ([0xE2, 0x82], 0), (Array("12345678".utf8) + [0xE2, 0x82, 0xAC, 0xFE], 11),
        ([0xEF, 0xBF, 0xBD], nil), ([0xF4, 0x8F, 0xBF, 0xBF], nil), ([0xED, 0x9F, 0xBF], nil),
    ] as [([UInt8], Int?)])
    func table(_ bytes: [UInt8], _ expected: Int?) {
        #expect(Self.check(bytes) == expected)
    }

    @Test("random byte strings: valid exactly when the standard library decodes them without repair")
    func agreesWithStandardLibrary() {
        var random = SplitMix64(seed: 4)
        let pool: [UInt8] = [0x61, 0x7F, 0x80, 0xBF, 0xC2, 0xC0, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF]
        for _ in 0..<50_000 {
            let bytes = (0..<random.next(below: 12)).map { _ in pool[random.next(below: pool.count)] }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((Self.check(bytes) == nil) == valid, "\(bytes)")
        }
    }

    /// The first ill-formed sequence, byte by byte: each lead byte's sequence (its length from the lead byte)
    /// must be one scalar the standard library decodes.
    static func reference(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : (0xC2...0xDF).contains(lead) ? 2 : (0xE0...0xEF).contains(lead) ? 3 : (0xF0...0xF4).contains(lead) ? 4 : 0
            guard length > 0, index + length <= bytes.count,
                  String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil else { return index }
            index += length
        }
        return nil
    }

    @Test("ASCII values of every length up to 40 with a bad or multi-byte sequence at every offset: the first bad byte's offset")
    func offsetAtEveryPositionAndLength() {
        var random = SplitMix64(seed: 9)
        let sequences: [[UInt8]] = [[0xFF], [0x80], [0xC3, 0xA9], [0xC3], [0xE2, 0x82, 0xAC], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80]]
        var checked = 0
        for length in 0...40 {
            let ascii = (0..<length).map { _ in UInt8(0x20 + random.next(below: 0x5F)) }
            #expect(Self.check(ascii) == nil, "\(length) ASCII bytes")
            for offset in 0..<max(length, 1) where length > 0 {
                for sequence in sequences {
                    var bytes = ascii
                    bytes.replaceSubrange(offset..<min(offset + sequence.count, length), with: sequence)
                    #expect(Self.check(bytes) == Self.reference(bytes), "\(bytes)")
                    checked += 1
                }
            }
        }
        #expect(checked == 6_560)
    }
}

/// A JSON `\u` escape of a lone surrogate is kept as ill-formed bytes, so the UTF-8 check finds it, instead of
/// becoming U+FFFD silently.
@Suite("Lone surrogates in JSON strings")
struct LoneSurrogateTests {
    @Test("a lone high or low surrogate unescapes to its three-byte form, which the UTF-8 check rejects", arguments: [
        (#"{"s": "\ud800x"}"#, [UInt8]([0xED, 0xA0, 0x80, 0x78])),
        (#"{"s": "a\udc00"}"#, [0x61, 0xED, 0xB0, 0x80]),
        (#"{"s": "\ud800\u0041"}"#, [0xED, 0xA0, 0x80, 0x41]),
        (#"{"s": "\ud83d\ude00"}"#, [0xF0, 0x9F, 0x98, 0x80]),
    ])
    func loneSurrogate(_ line: String, _ expected: [UInt8]) throws {
        let reader = RecordReader(format: .jsonLines, columns: ["s"], source: "t.jsonl")
        reader.feed(Array((line + "\n").utf8))
        reader.finish()
        guard case .record(let record)? = try reader.next() else {
            Issue.record("no record")
            return
        }
        let bytes = try #require(record.bytes(0))
        #expect(bytes == expected)
        #expect((bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == nil) == (expected.first == 0xF0))
    }
}
