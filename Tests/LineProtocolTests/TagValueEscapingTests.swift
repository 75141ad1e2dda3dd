import LineProtocol
import Testing
import TestSupport

/// The mapping from data values to tag values keeps distinct values distinct and never spells a reserved value.
@Suite("Tag value escaping")
struct TagValueEscapingTests {
    static let reserved = ["(missing)", "(other)"]

    /// Values that collided when newlines, tabs and trailing backslashes were rewritten, reserved spellings, and
    /// values that look like escapes already.
    static let tricky = [
        "t\\", "t/", "x\ny", "x y", "tab\tx", "tab x", "cr\rx", "cr\r\nx", "(missing)", "(other)", "%28missing)",
        "(missing", "missing", "(Other)", "50%", "50%25", "%", "%%", "%2", "%zz", "a\\,b", "a\\ b", "a\\=b", "\\", "\\\\",
        "nul\u{0}x", "del\u{7F}", "\u{1F}", "São Paulo", "東京 ⚡", "comma, space=equals", "plain", "all", "other",
    ]

    @Test("the tricky values map to pairwise distinct tag values that unescape to themselves", arguments: tricky)
    func trickyValueRoundTrips(_ value: String) {
        let tag = TagValueEscaping.escaped(value, reserved: Self.reserved)
        #expect(TagValueEscaping.unescaped(tag) == value)
        #expect(!Self.reserved.contains(tag))
        #expect(!tag.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") })
    }

    @Test("no two tricky values share a tag value")
    func trickyValuesStayDistinct() {
        let tags = Self.tricky.map { TagValueEscaping.escaped($0, reserved: Self.reserved) }
        #expect(Set(tags).count == Set(Self.tricky).count)
    }

    @Test("the escapes are spelled as documented", arguments: [
        ("x\ny", "x%0Ay"), ("tab\tx", "tab%09x"), ("t\\", "t%5C"), ("50%", "50%25"), ("(missing)", "%28missing)"),
        ("(other)", "%28other)"), ("plain value", "plain value"), ("São", "São"), ("(missing", "(missing"),
    ])
    func documentedSpelling(_ value: String, _ expected: String) {
        #expect(TagValueEscaping.escaped(value, reserved: Self.reserved) == expected)
    }

    @Test("random strings over a hostile alphabet: unescaping inverts escaping, so the mapping is injective")
    func randomStringsRoundTrip() {
        let alphabet: [Character] = ["a", "%", "2", "8", "5", "C", "(", ")", "\\", "\n", "\t", "\r", " ", ",", "=", "\u{0}", "\u{7F}", "é", "⚡", "m"]
        var random = SplitMix64(seed: 20)
        var seen: [String: String] = [:]
        for _ in 0..<20_000 {
            let length = random.below(7)
            var value = String((0..<length).map { _ in alphabet[random.below(alphabet.count)] })
            if random.oneIn(20) { value = Self.reserved[random.below(2)] }
            let tag = TagValueEscaping.escaped(value, reserved: Self.reserved)
            #expect(TagValueEscaping.unescaped(tag) == value, "\(String(reflecting: value)) → \(tag)")
            #expect(!Self.reserved.contains(tag))
            if let other = seen[tag], other != value {
                Issue.record("\(String(reflecting: value)) and \(String(reflecting: other)) both map to \(tag)")
            }
            seen[tag] = value
        }
    }
}
