import InputParsing
import Testing
import TestSupport

@Suite("parseDouble")
struct DoubleParserTests {
    @Test("accepted syntax", arguments: [
        ("0", 0.0), ("-0", -0.0), ("1", 1.0), ("+1.5", 1.5), ("-2.25", -2.25), ("1.", 1.0), (".5", 0.5),
        ("1e3", 1000.0), ("1E-3", 0.001), ("2.5e+2", 250.0), ("0.1", 0.1),
        ("123456789012345678901234567890", 1.2345678901234568e29),
        ("1e400", Double.infinity), ("-1e400", -Double.infinity), ("1e-400", 0.0),
        ("4.9e-324", Double(bitPattern: 1)), ("2.2250738585072011e-308", Double(bitPattern: 0x000F_FFFF_FFFF_FFFF)),
        ("1.7976931348623157e308", 1.7976931348623157e308),
        ("inf", Double.infinity), ("-Infinity", -Double.infinity), ("INF", Double.infinity),
        ("0.000000000000000000000000000001", 1e-30), ("9007199254740993", 9007199254740992.0),
    ])
    func accepted(text: String, expected: Double) {
        let parsed = parseDouble(text)
        #expect(parsed?.bitPattern == expected.bitPattern, "\(text) → \(String(describing: parsed))")
    }

    @Test("NaN spellings give NaN", arguments: ["nan", "NaN", "NAN", "-nan"])
    func notANumber(text: String) {
        #expect(parseDouble(text)?.isNaN == true)
    }

    @Test("garbage is rejected", arguments: [
        "", "abc", "1.2.3", ".", "-", "+", "e5", "1e", "1e+", "1,5", " 1", "1 ", "0x1p3", "1f", "--1", "nann", "in",
        "infinit", "1e5.5", "١",
    ])
    func rejected(text: String) {
        #expect(parseDouble(text) == nil)
    }

    @Test("bit-identical to Double(String) on many random decimal strings")
    func matchesStandardLibrary() {
        var generator = SplitMix64(seed: 2026)
        var mismatches: [String] = []
        for round in 0..<60_000 {
            let text: String
            switch round % 4 {
            case 0:
                // Shortest round-trip representations of random doubles across the whole range.
                text = String(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF))
            case 1:
                text = String(Double.random(in: -1...1, using: &generator))
            case 2:
                // Random digit strings of 1...25 digits with a decimal point and exponent.
                let digits = (0..<Int.random(in: 1...25, using: &generator)).map { _ in
                    String(Int.random(in: 0...9, using: &generator))
                }.joined()
                let point = Int.random(in: 0...digits.count, using: &generator)
                let exponent = Int.random(in: -340...320, using: &generator)
                text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point)) + "e\(exponent)"
            default:
                // Typical CSV scores: a few digits after the point.
                let scale = [10.0, 1e3, 1e6, 1e9][Int.random(in: 0...3, using: &generator)]
                let value = Double(Int.random(in: 0...Int(scale), using: &generator)) / scale
                text = String(value)
            }
            let expected = Double(text)
            let parsed = parseDouble(text)
            if parsed?.bitPattern != expected?.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "mismatches: \(mismatches.prefix(10))")
    }

    @Test("halfway and near-halfway cases round to even like Double(String)", arguments: [
        "9007199254740993", "9007199254740995", "9007199254740993.0000000001", "2.0000000000000002220446049250313",
        "1.00000000000000011102230246251565404236316680908203125", "7.2057594037927933e16",
        "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623158e308",
        "1.7976931348623159e308", "8.98846567431158e307", "0.1e1", "100000000000000000000000",
    ])
    func halfway(text: String) {
        #expect(parseDouble(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
    }
}

@Suite("parseTimestamp")
struct TimestampParserTests {
    static let base: Int64 = 1_795_132_800_000  // 2026-11-20T00:00:00Z

    @Test("RFC 3339 / ISO 8601 forms", arguments: [
        ("2026-11-20T00:00:00Z", base),
        ("2026-11-20t00:00:00z", base),
        ("2026-11-20 00:00:00Z", base),
        ("2026-11-20T00:00:00", base),
        ("2026-11-20", base),
        ("2026-11-20T00:00Z", base),
        ("2026-11-20T00:00:00.123Z", base + 123),
        ("2026-11-20T00:00:00.1Z", base + 100),
        ("2026-11-20T00:00:00.123999999Z", base + 123),
        ("2026-11-20T02:00:00.123456+02:00", base + 123),
        ("2026-11-19T19:00:00-05:00", base),
        ("2026-11-20T05:30:00+0530", base),
        ("2026-11-20T01:00:00+01", base),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2024-02-29T12:00:00Z", 1_709_208_000_000),
        ("2000-02-29T00:00:00Z", 951_782_400_000),
        ("2026-11-20T23:59:60Z", base + 86_400_000),
    ])
    func calendar(text: String, expected: Int64) {
        #expect(parseTimestamp(text) == expected, "\(text)")
    }

    @Test("invalid dates and times are rejected", arguments: [
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T12:60:00Z",
        "2026-11-20T12:00:61Z", "2026-11-20T12:00:00+25:00", "2026-11-20X12:00:00Z", "2026-11-20T12:00:00.Z",
        "2026-11-20T12:00:00ZZ", "2026-1-20", "2026-11-20T", "", "abc", "2026-11-20T12", "1.2.3",
    ])
    func invalid(text: String) {
        #expect(parseTimestamp(text) == nil, "\(text)")
    }

    @Test("epoch numbers honour the unit policy", arguments: [
        ("1795132800", TimestampUnit.auto, base),
        ("1795132800000", .auto, base),
        ("1795132800.5", .auto, base + 500),
        ("1795132800.1239", .auto, base + 123),
        ("99999999999", .auto, 99_999_999_999_000),
        ("100000000000", .auto, 100_000_000_000),
        ("-1.5", .auto, -1500),
        ("-1.5004", .auto, -1501),
        ("0", .auto, 0),
        ("1795132800", .milliseconds, 1_795_132_800),
        ("1795132800000", .seconds, base * 1000),
        ("1795132800000.9", .milliseconds, base),
        ("1.7951328e9", .auto, base),
        ("+1795132800", .seconds, base),
    ])
    func epoch(text: String, unit: TimestampUnit, expected: Int64) {
        #expect(parseTimestamp(text, unit: unit) == expected, "\(text) \(unit)")
    }

    @Test(
        "garbage epochs and overflow are rejected",
        arguments: ["1.2.3", "-", ".", "12a", "99999999999999999999", "1e30"])
    func invalidEpoch(text: String) {
        #expect(parseTimestamp(text, unit: .seconds) == nil, "\(text)")
    }
}

@Suite("parseLabel")
struct LabelParserTests {
    @Test("recognised labels", arguments: [
        ("1", true), ("0", false), ("1.0", true), ("0.0", false), ("1.", true), ("0.000", false),
        ("true", true), ("TRUE", true), ("True", true), ("false", false), ("FaLsE", false), ("t", true), ("F", false),
    ])
    func recognised(text: String, expected: Bool) {
        #expect(parseLabel(text) == expected)
    }

    @Test(
        "everything else is nil",
        arguments: ["", "2", "-1", "0.5", "1.01", "10", "yes", "no", "tru", " 1", "1 ", "01"])
    func unrecognised(text: String) {
        #expect(parseLabel(text) == nil)
    }
}
