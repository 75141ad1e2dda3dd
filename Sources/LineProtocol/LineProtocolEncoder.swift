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
        // Tags in byte order of their keys; the common case (already sorted, none empty) allocates nothing.
        var inOrder = true
        var keptTags = 0
        var previousKept = -1
        for index in point.tags.indices {
            let tag = point.tags[index]
            if tag.value.isEmpty || tag.key.isEmpty { continue }
            keptTags += 1
            if previousKept >= 0, inOrder, tag.key.utf8.lexicographicallyPrecedes(point.tags[previousKept].key.utf8) {
                inOrder = false
            }
            previousKept = index
        }
        statistics.droppedTags += point.tags.count - keptTags
        if inOrder {
            for tag in point.tags where !tag.value.isEmpty && !tag.key.isEmpty {
                appendTag(tag, into: &buffer)
            }
        } else {
            // A stable insertion sort of tag indices in a stack buffer (points carry a handful of tags).
            let tags = point.tags
            withUnsafeTemporaryAllocation(of: Int.self, capacity: tags.count) { order in
                var sorted = 0
                for index in tags.indices where !tags[index].value.isEmpty && !tags[index].key.isEmpty {
                    var slot = sorted
                    while slot > 0, tags[index].key.utf8.lexicographicallyPrecedes(tags[order[slot - 1]].key.utf8) {
                        order[slot] = order[slot - 1]
                        slot -= 1
                    }
                    order[slot] = index
                    sorted += 1
                }
                for position in 0..<sorted { appendTag(tags[order[position]], into: &buffer) }
            }
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
        Self.appendInteger(point.timestampMs, into: &buffer)
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

    @inline(__always)
    private mutating func appendTag(_ tag: (key: String, value: String), into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: ","))
        appendName(tag.key, escaping: Self.keySpecials, into: &buffer)
        buffer.append(UInt8(ascii: "="))
        appendName(tag.value, escaping: Self.keySpecials, into: &buffer)
    }

    /// True for the bytes that may need escaping or rewriting in a name or tag value: `,` `=` space, `\`,
    /// and the control characters `\n` `\r` `\t`.
    @inline(__always)
    private static func mayNeedEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: " ")
            || byte == UInt8(ascii: "\\") || byte < 0x20
    }

    private mutating func appendName(_ name: String, escaping specials: [UInt8], into buffer: inout [UInt8]) {
        // Fast path: contiguous UTF-8 with nothing to escape is copied in one go.
        var name = name
        let copied: Bool = name.withUTF8 { bytes in
            for byte in bytes where Self.mayNeedEscaping(byte) { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied { return }
        appendNameSlowly(name, escaping: specials, into: &buffer)
    }

    private mutating func appendNameSlowly(_ name: String, escaping specials: [UInt8], into buffer: inout [UInt8]) {
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
            Self.appendInteger(Int64(integer), into: &buffer)
            buffer.append(UInt8(ascii: "i"))
        case .boolean(let bool):
            buffer.append(contentsOf: (bool ? "true" : "false").utf8)
        case .string(let string):
            buffer.append(UInt8(ascii: "\""))
            var string = string
            let copied: Bool = string.withUTF8 { bytes in
                for byte in bytes where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    return false
                }
                buffer.append(contentsOf: bytes)
                return true
            }
            if copied {
                buffer.append(UInt8(ascii: "\""))
                return
            }
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

    /// Decimal digits of `value`, as `String(value)` spells them, without allocating.
    @inline(__always)
    static func appendInteger(_ value: Int64, into buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(magnitude))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            while magnitude > 0 {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
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
