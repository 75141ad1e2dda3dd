/// One InfluxDB point: a measurement, tags, fields and a timestamp in milliseconds.
///
/// Tags are kept sorted by key and fields in insertion order, so encoding is deterministic.
public struct Point: Sendable, Equatable {
    /// Measurement name.
    public var measurement: String
    /// Tags as (key, value) pairs. ``LineProtocolEncoder`` sorts them by key and omits empty values.
    public var tags: [(key: String, value: String)]
    /// Fields in the order they are written.
    public var fields: [(key: String, value: FieldValue)]
    /// Epoch milliseconds.
    public var timestampMs: Int64

    public init(measurement: String, tags: [(key: String, value: String)] = [], fields: [(key: String, value: FieldValue)] = [], timestampMs: Int64) {
        self.measurement = measurement
        self.tags = tags
        self.fields = fields
        self.timestampMs = timestampMs
    }

    /// Appends a field; a `nil` value is skipped, so optional metrics simply stay absent.
    public mutating func add(_ key: String, _ value: FieldValue?) {
        if let value { fields.append((key, value)) }
    }

    /// Appends a float field when the value is present (non-finite values are dropped by the encoder).
    public mutating func add(_ key: String, _ value: Double?) {
        if let value { fields.append((key, .float(value))) }
    }

    /// Appends an integer field.
    public mutating func add(_ key: String, _ value: Int) {
        fields.append((key, .integer(Int64(value))))
    }

    public static func == (lhs: Point, rhs: Point) -> Bool {
        lhs.measurement == rhs.measurement && lhs.timestampMs == rhs.timestampMs
            && lhs.tags.map(\.key) == rhs.tags.map(\.key) && lhs.tags.map(\.value) == rhs.tags.map(\.value)
            && lhs.fields.map(\.key) == rhs.fields.map(\.key) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }
}

/// A field value with its line-protocol type.
public enum FieldValue: Sendable, Equatable {
    /// Float, written in shortest round-trip form; NaN and ±Inf are never written.
    case float(Double)
    /// Signed integer, written with an `i` suffix.
    case integer(Int64)
    /// Boolean, written as `true` or `false`.
    case boolean(Bool)
    /// String, quoted, with `"` and `\` escaped.
    case string(String)
}
