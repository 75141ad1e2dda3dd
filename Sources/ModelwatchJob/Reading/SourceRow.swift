import InputParsing

/// One row of any source (a file record, a database row), with its projected columns in request order.
///
/// The reader parses scores and labels through this protocol, so every source shares the same validation,
/// missing-value rules and join.
public protocol SourceRow {
    /// Position for messages: the line in a file, the row number of a query.
    var line: Int { get }
    func kind(_ column: Int) -> FieldKind
    func string(_ column: Int) -> String?
    func double(_ column: Int) -> Double?
    func timestamp(_ column: Int, unit: TimestampUnit) -> Int64?
    func label(_ column: Int) -> Bool?
}

extension Record: SourceRow {}
