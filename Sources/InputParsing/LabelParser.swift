/// Parses a binary label: `1`/`0`, optionally followed by `.` and zeros (`1.0`, `0.00`, `1.`),
/// or `true`/`false`/`t`/`f` in any case. Anything else (including `2`, `-1`, `yes`, empty) returns nil.
public func parseLabel(_ bytes: UnsafeRawBufferPointer) -> Bool? {
    let count = bytes.count
    guard count > 0, let raw = bytes.baseAddress else { return nil }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    let first = base[0]
    if first == UInt8(ascii: "0") || first == UInt8(ascii: "1") {
        if count > 1 {
            guard base[1] == UInt8(ascii: ".") else { return nil }
            for index in 2..<count where base[index] != UInt8(ascii: "0") { return nil }
        }
        return first == UInt8(ascii: "1")
    }
    @inline(__always) func matches(_ word: StaticString) -> Bool {
        guard count == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for offset in 0..<count where base[offset] | 0x20 != expected[offset] { return false }
        return true
    }
    if matches("t") || matches("true") { return true }
    if matches("f") || matches("false") { return false }
    return nil
}

/// Parses a `String` label; see `parseLabel(_: UnsafeRawBufferPointer)`.
public func parseLabel(_ text: String) -> Bool? {
    var text = text
    return text.withUTF8 { parseLabel(UnsafeRawBufferPointer($0)) }
}
