import LineProtocol
import Testing

/// One encoder case: a point and the exact line it must produce (nil: the point is skipped).
struct EncodingCase: CustomTestStringConvertible, Sendable {
    let name: String
    let point: Point
    let expected: String?
    var testDescription: String { name }
}

private func point(
    _ measurement: String = "m", tags: [(String, String)] = [], fields: [(String, FieldValue)] = [("v", .float(1))],
    at timestamp: Int64 = 1_700_000_000_000
) -> Point {
    Point(measurement: measurement, tags: tags.map { (key: $0.0, value: $0.1) }, fields: fields.map { (key: $0.0, value: $0.1) }, timestampMs: timestamp)
}

@Suite("Line protocol encoder")
struct LineProtocolEncoderTests {
    static let cases: [EncodingCase] = [
        EncodingCase(name: "plain point", point: point(), expected: "m v=1.0 1700000000000"),
        EncodingCase(name: "tags are sorted by key", point: point(tags: [("b", "2"), ("a", "1")]), expected: "m,a=1,b=2 v=1.0 1700000000000"),
        EncodingCase(name: "measurement escapes comma and space, not equals",
                     point: point("my m,x=y"), expected: #"my\ m\,x=y v=1.0 1700000000000"#),
        EncodingCase(name: "tag value escapes comma, equals and space",
                     point: point(tags: [("segment_value", "us east,a=b")]), expected: #"m,segment_value=us\ east\,a\=b v=1.0 1700000000000"#),
        EncodingCase(name: "tag key escapes", point: point(tags: [("tag key", "v")]), expected: #"m,tag\ key=v v=1.0 1700000000000"#),
        EncodingCase(name: "non-ASCII passes through", point: point(tags: [("region", "São Paulo ⚡")]), expected: #"m,region=São\ Paulo\ ⚡ v=1.0 1700000000000"#),
        EncodingCase(name: "backslash inside a tag value is kept as is",
                     point: point(tags: [("t", #"a\b"#)]), expected: #"m,t=a\b v=1.0 1700000000000"#),
        EncodingCase(name: "trailing backslash is rewritten so it cannot escape the separator",
                     point: point(tags: [("t", #"ab\"#)]), expected: "m,t=ab/ v=1.0 1700000000000"),
        EncodingCase(name: "newline in a tag value becomes a space",
                     point: point(tags: [("t", "a\nb")]), expected: #"m,t=a\ b v=1.0 1700000000000"#),
        EncodingCase(name: "empty tag value is omitted", point: point(tags: [("a", ""), ("b", "x")]), expected: "m,b=x v=1.0 1700000000000"),
        EncodingCase(name: "field key escapes", point: point(fields: [("f k=,", .float(2))]), expected: #"m f\ k\=\,=2.0 1700000000000"#),
        EncodingCase(name: "integer gets i", point: point(fields: [("n", .integer(-42))]), expected: "m n=-42i 1700000000000"),
        EncodingCase(name: "booleans", point: point(fields: [("a", .boolean(true)), ("b", .boolean(false))]), expected: "m a=true,b=false 1700000000000"),
        EncodingCase(name: "string escapes quote and backslash only",
                     point: point(fields: [("s", .string(#"say "hi", a=b \ ok"#))]), expected: #"m s="say \"hi\", a=b \\ ok" 1700000000000"#),
        EncodingCase(name: "NaN field is dropped", point: point(fields: [("a", .float(.nan)), ("b", .float(0.5))]), expected: "m b=0.5 1700000000000"),
        EncodingCase(name: "point with only non-finite fields is skipped", point: point(fields: [("a", .float(.infinity)), ("b", .float(-.infinity))]), expected: nil),
        EncodingCase(name: "negative zero is written as 0", point: point(fields: [("z", .float(-0.0))]), expected: "m z=0 1700000000000"),
        EncodingCase(name: "shortest round-trip floats", point: point(fields: [("a", .float(0.1)), ("b", .float(1e-5)), ("c", .float(1e20)), ("d", .float(0.30000000000000004))]),
                     expected: "m a=0.1,b=1e-05,c=1e+20,d=0.30000000000000004 1700000000000"),
        EncodingCase(name: "negative timestamp", point: point(at: -5), expected: "m v=1.0 -5"),
        EncodingCase(name: "unsorted tags with empty ones: sorted, empties dropped",
                     point: point(tags: [("model", "x"), ("version", "v1"), ("a", ""), ("feature", "f"), ("", "k"), ("kind", "n")]),
                     expected: "m,feature=f,kind=n,model=x,version=v1 v=1.0 1700000000000"),
        EncodingCase(name: "duplicate tag keys keep their order (stable sort)",
                     point: point(tags: [("b", "1"), ("a", "2"), ("b", "0"), ("a", "1")]), expected: "m,a=2,a=1,b=1,b=0 v=1.0 1700000000000"),
        EncodingCase(name: "tag keys compare by UTF-8 bytes", point: point(tags: [("é", "1"), ("z", "2"), ("Z", "3")]),
                     expected: "m,Z=3,z=2,é=1 v=1.0 1700000000000"),
        EncodingCase(name: "integer extremes", point: point(fields: [("a", .integer(Int64.min)), ("b", .integer(Int64.max)), ("c", .integer(0)), ("d", .integer(9)), ("e", .integer(10))]),
                     expected: "m a=-9223372036854775808i,b=9223372036854775807i,c=0i,d=9i,e=10i 1700000000000"),
        EncodingCase(name: "large and zero timestamps", point: point(at: 0), expected: "m v=1.0 0"),
        EncodingCase(name: "timestamp with 13 digits and Int64.min", point: point(at: Int64.min), expected: "m v=1.0 -9223372036854775808"),
        EncodingCase(name: "string with a newline is rewritten, plain string copied",
                     point: point(fields: [("a", .string("line1\nline2")), ("b", .string("plain text, a=b"))]),
                     expected: #"m a="line1 line2",b="plain text, a=b" 1700000000000"#),
        EncodingCase(name: "tab in a name becomes a space and is escaped", point: point("a\tb"), expected: #"a\ b v=1.0 1700000000000"#),
    ]

    @Test("encodes", arguments: cases)
    func encodes(_ testCase: EncodingCase) {
        #expect(LineProtocolEncoder.line(testCase.point) == testCase.expected)
    }

    @Test("floats round-trip exactly through their text form", arguments: [0.1, 1.0 / 3.0, 5e-324, 1.7976931348623157e308, 123456.789, 2.5e-10])
    func floatsRoundTrip(_ value: Double) throws {
        let line = try #require(LineProtocolEncoder.line(point(fields: [("v", .float(value))])))
        let text = line.split(separator: " ")[1].dropFirst(2)
        #expect(Double(String(text)) == value)
    }

    @Test("statistics count dropped and rewritten values")
    func statistics() {
        var encoder = LineProtocolEncoder()
        var buffer: [UInt8] = []
        encoder.encode(point(tags: [("a", "")], fields: [("x", .float(.nan)), ("y", .float(1))]), into: &buffer)
        encoder.encode(point(fields: [("x", .float(.nan))]), into: &buffer)
        encoder.encode(point(tags: [("t", "x\\")]), into: &buffer)
        #expect(encoder.statistics.encodedPoints == 2)
        #expect(encoder.statistics.skippedPoints == 1)
        #expect(encoder.statistics.droppedNonFiniteFields == 2)
        #expect(encoder.statistics.droppedTags == 1)
        #expect(encoder.statistics.rewrittenValues == 1)
        #expect(buffer.filter { $0 == UInt8(ascii: "\n") }.count == 2)
    }
}
