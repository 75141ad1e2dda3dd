/// Encodes ``Point`` values as InfluxDB line protocol, appending bytes to a caller's buffer.
///
/// Rules (InfluxDB line protocol reference, verified by round trip through a real InfluxDB 1.x):
/// - measurement: `,` and space escaped; tag keys, tag values and field keys: `,` `=` and space escaped;
/// - newlines and carriage returns in names, tag values and strings become spaces (they cannot be escaped);
/// - a trailing backslash in a tag value or name would escape the next separator, so it is replaced by `/`
///   (counted in ``EncodingStatistics/rewrittenValues``);
/// - empty tag values are omitted; NaN and ±Inf fields are dropped; a point left with no field is skipped;
/// - floats use Swift's shortest round-trip representation (locale-independent), integers get `i`;
/// - tags are sorted by key (byte order) so the output is deterministic.
public struct LineProtocolEncoder: Sendable {
    /// What the encoder dropped or rewrote, so the run report can say so.
    public private(set) var statistics = EncodingStatistics()

    public init() {}

    /// Appends one point and its terminating newline to `buffer`; returns false if the point was skipped.
    @discardableResult
    public mutating func encode(_ point: Point, into buffer: inout [UInt8]) -> Bool {
        let start = buffer.count
        appendName(point.measurement, escaping: Self.measurementSpecials, into: &buffer)
        let tags = point.tags.filter { !$0.value.isEmpty && !$0.key.isEmpty }
        statistics.droppedTags += point.tags.count - tags.count
        for tag in tags.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
            buffer.append(UInt8(ascii: ","))
            appendName(tag.key, escaping: Self.keySpecials, into: &buffer)
            buffer.append(UInt8(ascii: "="))
            appendName(tag.value, escaping: Self.keySpecials, into: &buffer)
        }
        var separator = UInt8(ascii: " ")
        var wroteField = false
        for field in point.fields {
            if case .float(let value) = field.value, !value.isFinite {
                statistics.droppedNonFiniteFields += 1
                continue
            }
            buffer.append(separator)
            separator = UInt8(ascii: ",")
            appendName(field.key, escaping: Self.keySpecials, into: &buffer)
            buffer.append(UInt8(ascii: "="))
            appendValue(field.value, into: &buffer)
            wroteField = true
        }
        guard wroteField else {
            buffer.removeSubrange(start...)
            statistics.skippedPoints += 1
            return false
        }
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: String(point.timestampMs).utf8)
        buffer.append(UInt8(ascii: "\n"))
        statistics.encodedPoints += 1
        return true
    }

    /// Encodes points into a new buffer.
    public mutating func encode(_ points: [Point]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(points.count * 160)
        for point in points { encode(point, into: &buffer) }
        return buffer
    }

    /// Encodes one point as a string without the trailing newline (for tests and messages).
    public static func line(_ point: Point) -> String? {
        var encoder = LineProtocolEncoder()
        var buffer: [UInt8] = []
        guard encoder.encode(point, into: &buffer) else { return nil }
        buffer.removeLast()
        return String(decoding: buffer, as: UTF8.self)
    }

    // MARK: - Escaping

    private static let measurementSpecials: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: " ")]
    private static let keySpecials: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: " ")]

    private mutating func appendName(_ name: String, escaping specials: [UInt8], into buffer: inout [UInt8]) {
        var previous: UInt8 = 0
        var rewrote = false
        for byte in name.utf8 {
            var byte = byte
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
                byte = UInt8(ascii: " ")
                rewrote = true
            }
            if specials.contains(byte) {
                buffer.append(UInt8(ascii: "\\"))
            }
            buffer.append(byte)
            previous = byte
        }
        if previous == UInt8(ascii: "\\") {
            // A trailing backslash would escape the separator that follows; it cannot be spelled safely.
            buffer[buffer.count - 1] = UInt8(ascii: "/")
            rewrote = true
        }
        if rewrote { statistics.rewrittenValues += 1 }
    }

    private mutating func appendValue(_ value: FieldValue, into buffer: inout [UInt8]) {
        switch value {
        case .float(let double):
            appendFloat(double, into: &buffer)
        case .integer(let integer):
            buffer.append(contentsOf: String(integer).utf8)
            buffer.append(UInt8(ascii: "i"))
        case .boolean(let bool):
            buffer.append(contentsOf: (bool ? "true" : "false").utf8)
        case .string(let string):
            buffer.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(byte)
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    buffer.append(UInt8(ascii: " "))
                    statistics.rewrittenValues += 1
                default:
                    buffer.append(byte)
                }
            }
            buffer.append(UInt8(ascii: "\""))
        }
    }

    /// Shortest round-trip decimal form. Swift's `description` is locale-independent; integral values
    /// print as `2.0`, exponents as `1e-05` / `1e+20`, all of which InfluxDB parses as floats.
    private func appendFloat(_ value: Double, into buffer: inout [UInt8]) {
        if value == 0 {
            buffer.append(UInt8(ascii: "0"))  // also normalises -0.0
            return
        }
        buffer.append(contentsOf: value.description.utf8)
    }
}

/// Counts of what the encoder had to drop or rewrite.
public struct EncodingStatistics: Sendable, Equatable {
    /// Points written.
    public var encodedPoints = 0
    /// Points skipped because no field survived.
    public var skippedPoints = 0
    /// NaN or infinite float fields dropped.
    public var droppedNonFiniteFields = 0
    /// Tags omitted because the key or value was empty.
    public var droppedTags = 0
    /// Names or values whose newlines or trailing backslash were rewritten.
    public var rewrittenValues = 0

    public init() {}
}
