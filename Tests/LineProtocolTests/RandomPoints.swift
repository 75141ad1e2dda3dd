import LineProtocol
import TestSupport

/// Points with everything the encoder treats specially: characters to escape or rewrite, trailing backslashes,
/// non-ASCII text, empty and unsorted tags, NaN and infinite floats, extreme integers, long names, points left
/// with no field.
struct RandomPoints {
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Pieces names are made of, the specials among them often enough to matter.
    private static let pieces = [
        "a", "b", "z", "A", "Z", "_", "0", "9", "model", "feature", "segment", "value", "é", "São Paulo", "⚡", "日本",
        ",", "=", " ", "\\", "\"", "\n", "\r", "\t", "\r\n", "\u{0}", "\u{1F}", "\u{7F}",
    ]
    /// Tag keys, few so that they repeat within a point and share prefixes.
    private static let tagKeys = ["model", "version", "segment", "segment_value", "feature", "feature_kind", "kind", "a", "B", "é", "", "tag key", "k=v", "x\\"]

    mutating func point() -> Point {
        let tags = (0..<random.below(9)).map { _ in
            (key: random.oneIn(3) ? name() : Self.tagKeys[random.below(Self.tagKeys.count)], value: random.oneIn(8) ? "" : name())
        }
        let allNonFinite = random.oneIn(20)
        let fields = (0..<random.below(13)).map { _ in (key: name(), value: allNonFinite ? .float(nonFinite()) : fieldValue()) }
        return Point(measurement: name(), tags: tags, fields: fields, timestampMs: integer())
    }

    /// Mostly short names of a few pieces, sometimes long ones (past what the encoder reserves for a line at first).
    private mutating func name() -> String {
        let count = random.oneIn(50) ? 200 + random.below(2000) : random.below(6)
        var name = (0..<count).map { _ in Self.pieces[random.below(Self.pieces.count)] }.joined()
        if random.oneIn(10) { name += "\\" }
        return name
    }

    private mutating func fieldValue() -> FieldValue {
        switch random.below(10) {
        case 0: .float(nonFinite())
        case 1: .float([0, -0.0, 1, -1, 0.1, 1e-5, 1e21, .leastNonzeroMagnitude, .greatestFiniteMagnitude][random.below(9)])
        case 2: .float(Double(bitPattern: random.next()))
        case 3, 4: .float(Double(random.next() >> 11) * 0x1p-53 * [1, 100, -1e6, 1e-3][random.below(4)])
        case 5, 6: .integer(integer())
        case 7: .boolean(random.oneIn(2))
        default: .string(name())
        }
    }

    private mutating func nonFinite() -> Double {
        [.nan, .infinity, -.infinity, -.nan, .signalingNaN][random.below(5)]
    }

    private mutating func integer() -> Int64 {
        switch random.below(4) {
        case 0: [Int64.min, .max, 0, -1, 9, 10, -10][random.below(7)]
        case 1: Int64(random.below(1000)) - 500
        default: Int64(bitPattern: random.next()) >> random.below(64)
        }
    }
}
