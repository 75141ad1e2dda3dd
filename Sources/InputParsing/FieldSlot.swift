/// Where one projected value of the current record lives (internal to the reader and `Record`).
struct FieldSlot {
    /// Kinds: see the static constants.
    var kind: UInt8
    /// Byte offset into the input buffer (or the scratch buffer for `textInScratch`).
    var offset: Int
    var length: Int
    /// The value of a ``number`` slot.
    var number: Double = 0

    static let null: UInt8 = 0
    static let empty: UInt8 = 1
    static let text: UInt8 = 2
    /// Unescaped text stored in the scratch buffer.
    static let textInScratch: UInt8 = 3
    /// CSV text with doubled quotes still to be unescaped (transient, before the record is published).
    static let textNeedsUnescape: UInt8 = 4
    /// JSON string with backslash escapes still to be unescaped (transient).
    static let jsonNeedsUnescape: UInt8 = 5
    /// CSV text that is a plain decimal, already parsed into ``number`` (the bytes are still in the input).
    static let number: UInt8 = 6
}
