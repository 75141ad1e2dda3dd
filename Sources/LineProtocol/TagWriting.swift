/// How writing the tags went.
struct TagOutcome {
    var fits: Bool
    /// Tags omitted for an empty key or value.
    var droppedTags: Int
}

/// A tag's key and value, when they are short and need no escaping.
private struct PlainTag {
    var key: ShortUTF8?
    var value: ShortUTF8?
}

/// A tag's position in the point and its key's first bytes as a number that orders like them (most keys differ
/// there).
private struct SortKey {
    var prefix: UInt64
    var index: Int
}

extension LineWriter {
    /// Writes the tags that have a key and a value, in byte order of their keys (a stable order: equal keys keep
    /// theirs), and counts the others as dropped.
    mutating func writeTags(_ tags: UnsafeBufferPointer<(key: String, value: String)>) -> TagOutcome {
        guard !tags.isEmpty else { return TagOutcome(fits: true, droppedTags: 0) }
        return withUnsafeTemporaryAllocation(of: PlainTag.self, capacity: tags.count) { plain in
            withUnsafeTemporaryAllocation(of: SortKey.self, capacity: tags.count) { sorted in
                // Insertion sort: stable, linear when the tags come in order, and points carry a handful of tags.
                var kept = 0
                for index in tags.indices {
                    let key = ShortUTF8(tags[index].key)
                    let value = ShortUTF8(tags[index].value)
                    // Strings too long to be read short are not empty.
                    if key?.count == 0 || value?.count == 0 { continue }
                    plain[index] = PlainTag(
                        key: key.flatMap { $0.hasNone(WordScan.nameSpecials) ? $0 : nil },
                        value: value.flatMap { $0.hasNone(WordScan.nameSpecials) ? $0 : nil }
                    )
                    let sortKey = SortKey(prefix: key?.sortPrefix ?? Self.sortPrefix(of: tags[index].key), index: index)
                    var slot = kept
                    while slot > 0, Self.precedes(sortKey, sorted[slot - 1], in: tags) {
                        sorted[slot] = sorted[slot - 1]
                        slot -= 1
                    }
                    sorted[slot] = sortKey
                    kept += 1
                }
                for sortKey in sorted[..<kept] {
                    let tag = plain[sortKey.index]
                    write(UInt8(ascii: ","))
                    guard tag.key.map({ writePlain($0) }) ?? writeName(tags[sortKey.index].key) else {
                        return TagOutcome(fits: false, droppedTags: 0)
                    }
                    write(UInt8(ascii: "="))
                    guard tag.value.map({ writePlain($0) }) ?? writeName(tags[sortKey.index].value) else {
                        return TagOutcome(fits: false, droppedTags: 0)
                    }
                }
                return TagOutcome(fits: true, droppedTags: tags.count - kept)
            }
        }
    }

    /// True when the key of the tag at `sortKey` comes before that of `other` in byte order.
    @inline(__always)
    private static func precedes(_ sortKey: SortKey, _ other: SortKey, in tags: UnsafeBufferPointer<(key: String, value: String)>) -> Bool {
        if sortKey.prefix != other.prefix { return sortKey.prefix < other.prefix }
        return tags[sortKey.index].key.utf8.lexicographicallyPrecedes(tags[other.index].key.utf8)
    }

    /// ``ShortUTF8/sortPrefix`` for a key too long to read short.
    private static func sortPrefix(of key: String) -> UInt64 {
        key.utf8.prefix(8).enumerated().reduce(0) { prefix, byte in prefix | UInt64(byte.element) << (56 - 8 * byte.offset) }
    }
}
