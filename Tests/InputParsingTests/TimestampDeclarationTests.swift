import InputParsing
import Testing

/// Epoch numbers and zone-less times are read only when the source declares how; otherwise they are refused,
/// and the refusal says which declaration was missing.
@Suite("Timestamp declarations")
struct TimestampDeclarationTests {
    static func parse(_ text: String, _ unit: TimestampUnit) -> Int64? { parseTimestamp(text, unit: unit) }

    @Test("with nothing declared, only timestamps with a zone are read", arguments: [
        ("2026-11-20T10:00:00Z", Int64(1_795_168_800_000)), ("2026-11-20T12:00:00+02:00", 1_795_168_800_000),
        ("2026-11-20 10:00:00.5z", 1_795_168_800_500), ("2026-11-20T10:00:00", nil), ("2026-11-20 10:00", nil),
        ("2026-11-20", nil), ("1e12", nil), ("-5", nil), ("1795168800", nil), ("1795168800000", nil), ("+0", nil),
    ] as [(String, Int64?)])
    func zonedOnly(_ text: String, _ expected: Int64?) {
        #expect(Self.parse(text, .zonedOnly) == expected)
    }

    @Test("a declared offset places zone-less times, bare dates included; an explicit zone still wins", arguments: [
        ("2026-11-20T12:00:00", 120, Int64(1_795_168_800_000)), ("2026-11-20T04:30:00", -330, 1_795_168_800_000),
        ("2026-11-20", 60, 1_795_129_200_000), ("2026-11-20T10:00:00Z", 120, 1_795_168_800_000),
        ("2026-11-20T10:00:00", 0, 1_795_168_800_000),
    ] as [(String, Int, Int64)])
    func declaredOffset(_ text: String, _ minutes: Int, _ expected: Int64) {
        #expect(Self.parse(text, TimestampUnit(epoch: nil, zonelessOffsetMinutes: minutes)) == expected)
    }

    @Test("a declared epoch unit reads numbers in that unit only", arguments: [
        ("1795168800", TimestampUnit.Epoch.seconds, Int64(1_795_168_800_000)), ("1795168800000", .milliseconds, 1_795_168_800_000),
        ("1e12", .milliseconds, 1_000_000_000_000), ("-5", .seconds, -5_000), ("1795168800", .milliseconds, 1_795_168_800),
        ("1795168800123456", .microseconds, 1_795_168_800_123), ("1795168800123456789", .nanoseconds, 1_795_168_800_123),
        ("-1500", .microseconds, -2), ("-1000", .microseconds, -1), ("-1", .nanoseconds, -1), ("1.5e15", .microseconds, 1_500_000_000_000),
        ("999999", .nanoseconds, 0),
    ] as [(String, TimestampUnit.Epoch, Int64)])
    func declaredEpoch(_ text: String, _ epoch: TimestampUnit.Epoch, _ expected: Int64) {
        #expect(Self.parse(text, TimestampUnit(epoch: epoch, zonelessOffsetMinutes: nil)) == expected)
    }

    @Test("a refused value says which declaration it lacks", arguments: [
        ("1e12", TimestampUnit.Undeclared.epochUnit), ("-5", .epochUnit), ("2026-11-20T10:00:00", .timeZone), ("2026-11-20", .timeZone),
    ])
    func undeclared(_ text: String, _ expected: TimestampUnit.Undeclared) {
        var text = text
        #expect(text.withUTF8 { TimestampUnit.zonedOnly.undeclared(UnsafeRawBufferPointer($0)) } == expected)
    }

    @Test("garbage lacks no declaration")
    func garbage() {
        for text in ["yesterday", "2026-13-01T00:00:00", "12:00", ""] {
            var text = text
            #expect(text.withUTF8 { TimestampUnit.zonedOnly.undeclared(UnsafeRawBufferPointer($0)) } == nil)
        }
    }
}
