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
///
/// Each line is written straight into the buffer's spare capacity through a pointer.
public struct LineProtocolEncoder: Sendable {
    /// What the encoder dropped or rewrote, so the run report can say so.
    public internal(set) var statistics = EncodingStatistics()

    public init() {}

    /// Bytes reserved for a line before writing it; a line that needs more is written again with twice the room.
    private static let initialRoom = 1024

    /// Appends one point and its terminating newline to `buffer`; returns false if the point was skipped.
    @discardableResult
    public mutating func encode(_ point: Point, into buffer: inout [UInt8]) -> Bool {
        var room = Self.initialRoom
        while true {
            switch Self.append(point, to: &buffer, room: room) {
            case .written(_, let counts), .skipped(let counts):
                statistics.add(counts)
                return counts.encodedPoints == 1
            case .doesNotFit:
                room *= 2
            }
        }
    }

    /// Writes the point's line into `room` bytes reserved at the end of `buffer` and keeps what was written.
    @inline(__always)
    private static func append(_ point: Point, to buffer: inout [UInt8], room: Int) -> LineOutcome {
        var outcome = LineOutcome.doesNotFit
        #if compiler(>=6.2)
        buffer.append(addingCapacity: room) { span in
            span.withUnsafeMutableBufferPointer { region, initializedCount in
                outcome = write(point, into: region)
                if case .written(let byteCount, _) = outcome { initializedCount = byteCount }
            }
        }
        #else
        // Without `append(addingCapacity:)` (Swift 6.2), the line goes through the stack: one more copy.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { region in
            outcome = write(point, into: region)
            if case .written(let byteCount, _) = outcome { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: region[..<byteCount])) }
        }
        #endif
        return outcome
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

    // MARK: - One line

    /// What writing one line into a reserved region gave, with the line's own statistics.
    private enum LineOutcome {
        case written(byteCount: Int, EncodingStatistics)
        case skipped(EncodingStatistics)
        case doesNotFit
    }

    private static func write(_ point: Point, into region: UnsafeMutableBufferPointer<UInt8>) -> LineOutcome {
        var writer = LineWriter(region)
        var counts = EncodingStatistics()
        guard writer.writeName(point.measurement, isMeasurement: true) else { return .doesNotFit }
        let tags = point.tags.withUnsafeBufferPointer { writer.writeTags($0) }
        guard tags.fits else { return .doesNotFit }
        counts.droppedTags = tags.droppedTags
        var wroteField = false
        let fieldsFit = point.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                if case .float(let value) = fields[index].value, !value.isFinite {
                    counts.droppedNonFiniteFields += 1
                    continue
                }
                writer.write(wroteField ? UInt8(ascii: ",") : UInt8(ascii: " "))
                guard writer.writeName(fields[index].key) else { return false }
                writer.write(UInt8(ascii: "="))
                switch fields[index].value {
                case .float(let value):
                    writer.writeFloat(value)
                case .integer(let value):
                    writer.writeInteger(value)
                    writer.write(UInt8(ascii: "i"))
                case .boolean(let value):
                    writer.writeBoolean(value)
                case .string(let string):
                    guard writer.writeQuoted(string) else { return false }
                }
                wroteField = true
            }
            return true
        }
        guard fieldsFit else { return .doesNotFit }
        counts.rewrittenValues = writer.rewrittenValues
        guard wroteField else {
            counts.skippedPoints = 1
            return .skipped(counts)
        }
        writer.write(UInt8(ascii: " "))
        writer.writeInteger(point.timestampMs)
        writer.write(UInt8(ascii: "\n"))
        counts.encodedPoints = 1
        return .written(byteCount: writer.cursor - region.baseAddress!, counts)
    }
}
