/// What a projected field holds.
///
/// - `null`: CSV unquoted empty field; JSON `null` or an absent key.
/// - `empty`: CSV quoted empty field `""`; JSON empty string `""`.
/// - `text`: any other value. CSV: the field with quotes removed and `""` unescaped. JSON: strings unescaped
///   (`\uXXXX` and surrogate pairs to UTF-8), numbers and `true`/`false` as their literal text, nested
///   objects/arrays as their raw JSON text (so numeric/label parsers reject them).
public enum FieldKind: UInt8, Sendable, Hashable {
    /// No value.
    case null
    /// A present but empty value.
    case empty
    /// A non-empty value; read it with `Record.withBytes`, `string`, `double`, `timestamp` or `label`.
    case text
}
