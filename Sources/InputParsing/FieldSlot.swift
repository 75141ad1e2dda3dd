/// Where one projected value of the current record lives (internal to the reader and `Record`).
@usableFromInline
struct FieldSlot {
    /// Kinds: see the static constants.
    @usableFromInline var kind: UInt8
    /// For a ``number`` slot: the value is the double nearest to an integer divided by `10^fractionDigits`.
    @usableFromInline var fractionDigits: UInt8 = 0
    /// Byte offset into the input buffer (or the scratch buffer for `textInScratch`).
    @usableFromInline var offset: Int
    @usableFromInline var length: Int
    /// The value of a ``number`` slot.
    @usableFromInline var number: Double = 0

    @inlinable static var null: UInt8 { 0 }
    @inlinable static var empty: UInt8 { 1 }
    @inlinable static var text: UInt8 { 2 }
    /// Unescaped text stored in the scratch buffer.
    @inlinable static var textInScratch: UInt8 { 3 }
    /// CSV text with doubled quotes still to be unescaped (transient, before the record is published).
    @inlinable static var textNeedsUnescape: UInt8 { 4 }
    /// JSON string with backslash escapes still to be unescaped (transient).
    @inlinable static var jsonNeedsUnescape: UInt8 { 5 }
    /// CSV text that is a plain decimal, already parsed into ``number`` (the bytes are still in the input).
    @inlinable static var number: UInt8 { 6 }
}
