/// What a projected field holds.
///
/// | kind    | CSV                                  | JSON Lines                                   |
/// |---------|--------------------------------------|----------------------------------------------|
/// | `null`  | unquoted empty field                 | `null`, or the key is absent                 |
/// | `empty` | quoted empty field `""`              | the empty string `""`                        |
/// | `text`  | any other field (quotes removed)     | string (unescaped), number/true/false as their literal text, nested object/array as its raw JSON text |
public enum FieldKind: UInt8, Sendable, Hashable {
    /// No value.
    case null
    /// A present but empty value.
    case empty
    /// A non-empty value; read it with `Record.withBytes`, `string`, `double`, `timestamp` or `label`.
    case text
}
