/// One value of a result set, in the Thrift column type Spark sent it as (decimal, date and timestamp arrive as
/// text, in Hive's text form).
public enum HiveValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case binary([UInt8])

    /// The value as text (integers in decimal, doubles as Swift's shortest round-trip digits); nil for NULL.
    public var text: String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return "\(value)"
        case .string(let value): return value
        case .binary(let value): return String(decoding: value, as: UTF8.self)
        }
    }

    /// The value as a double (integers converted, text parsed); nil for NULL or text that is not a number.
    public var double: Double? {
        switch self {
        case .null, .binary: return nil
        case .bool(let value): return value ? 1 : 0
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .string(let value): return Double(value)
        }
    }

    /// The value as an integer (doubles only when integral, text parsed); nil otherwise.
    public var int: Int64? {
        switch self {
        case .int(let value): return value
        case .bool(let value): return value ? 1 : 0
        case .double(let value): return value.rounded() == value && abs(value) < 9.2e18 ? Int64(value) : nil
        case .string(let value): return Int64(value)
        case .null, .binary: return nil
        }
    }
}

/// A column of a result set: its name and `TTypeId` (BOOLEAN 0 … DOUBLE 6, STRING 7, TIMESTAMP 8, DECIMAL 15,
/// DATE 17, …; the names are in ``typeName``).
public struct HiveColumnDescription: Sendable, Equatable {
    public var name: String
    public var typeID: Int32

    public init(name: String, typeID: Int32) {
        self.name = name
        self.typeID = typeID
    }

    /// The Hive type name of ``typeID``.
    public var typeName: String {
        let names = ["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "STRING", "TIMESTAMP", "BINARY",
                     "ARRAY", "MAP", "STRUCT", "UNION", "USER_DEFINED", "DECIMAL", "NULL", "DATE", "VARCHAR", "CHAR",
                     "INTERVAL_YEAR_MONTH", "INTERVAL_DAY_TIME", "TIMESTAMPTZ"]
        return typeID >= 0 && Int(typeID) < names.count ? names[Int(typeID)] : "type \(typeID)"
    }

    /// Whether the column holds numbers (TINYINT … DOUBLE, DECIMAL).
    public var isNumeric: Bool { (1...6).contains(typeID) || typeID == 15 }
    /// Whether the column holds timestamps or dates.
    public var isTemporal: Bool { typeID == 8 || typeID == 17 || typeID == 22 }
}

/// The whole result of one statement: its columns and rows (push-down results are small aggregates).
public struct HiveResultSet: Sendable, Equatable {
    public var columns: [HiveColumnDescription]
    public var rows: [[HiveValue]]

    public init(columns: [HiveColumnDescription], rows: [[HiveValue]]) {
        self.columns = columns
        self.rows = rows
    }
}
