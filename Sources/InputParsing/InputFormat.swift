/// The layout of an input file.
public enum InputFormat: Sendable, Hashable {
    /// RFC 4180 CSV with a required header row; `delimiter` is a single ASCII byte (`,` by default, `\t` for TSV).
    case csv(delimiter: UInt8 = UInt8(ascii: ","))
    /// JSON Lines: one JSON object per line; only top-level keys are projected.
    case jsonLines
}
