/// How a feature or score cell was found, so missingness can be reported by cause.
///
/// Convention (see docs/metrics.md): CSV unquoted empty field and JSON null or absent key are `null`;
/// CSV quoted `""` and JSON `""` are `empty`; `NaN` and `±Inf` parse as numbers but are not usable
/// values; text that does not parse as a number in a numeric column is `invalid`. All five count as missing.
public enum ValueKind: UInt8, Sendable {
    case present = 0
    case null = 1
    case empty = 2
    case nan = 3
    case infinite = 4
    case invalid = 5
}
