@testable import ModelwatchSources
import Testing
import TestSupport

/// `ByteArena` keeps its bytes in storage of its own, copied on write: every string must read back as appended,
/// whatever its length and wherever the storage grew, and a copy of an arena must not see the other's appends.
@Suite("ByteArena")
struct ByteArenaTests {
    /// Random strings of 0–40 bytes: lengths that take each of the short copy's paths (1–3, 4–7, 8–16) and the
    /// call (17+), `uniform` of one length first.
    static func strings(count: Int, uniform: Int, seed: UInt64) -> [[UInt8]] {
        var mix = SplitMix64(seed: seed)
        return (0..<count).map { position in
            let length = position < uniform ? 12 : Int(mix.next() % 41)
            return (0..<length).map { _ in UInt8(truncatingIfNeeded: mix.next()) }
        }
    }

    static func contents(_ arena: ByteArena) -> [[UInt8]] {
        arena.withUnsafeBytes { bytes in (0..<arena.count).map { Array(bytes[arena.range(of: $0)]) } }
    }

    @Test("strings read back as appended: one length, then mixed, the room reserved or grown from nothing",
          arguments: [(uniform: 0, reserve: 0), (uniform: 3_000, reserve: 0), (uniform: 10_000, reserve: 0), (uniform: 50, reserve: 1 << 20)])
    func readsBack(uniform: Int, reserve: Int) {
        let strings = Self.strings(count: 10_000, uniform: uniform, seed: UInt64(uniform * 7 + reserve))
        var arena = ByteArena()
        if reserve > 0 { arena.reserveCapacity(bytes: reserve) }
        for string in strings {
            string.withUnsafeBytes { arena.append($0, expectedCount: strings.count) }
        }
        #expect(arena.count == strings.count)
        #expect(Self.contents(arena) == strings)
        for index in [0, 1, 2_999, 3_000, 9_999] {
            #expect(arena.start(of: index) == strings[..<index].reduce(0) { $0 + $1.count })
        }
    }

    @Test("a copy keeps its strings when the original appends, grows or reserves, and the other way round")
    func copiesAreIndependent() {
        let strings = Self.strings(count: 300, uniform: 100, seed: 11)
        var original = ByteArena()
        for string in strings[..<200] { string.withUnsafeBytes { original.append($0, expectedCount: 300) } }
        let snapshot = original
        var copy = original
        for string in strings[200...] { string.withUnsafeBytes { original.append($0, expectedCount: 300) } }
        original.reserveCapacity(bytes: 1 << 16)
        #expect(Self.contents(snapshot) == Array(strings[..<200]))
        [UInt8]([9, 9, 9]).withUnsafeBytes { copy.append($0, expectedCount: 300) }
        #expect(Self.contents(copy) == Array(strings[..<200]) + [[9, 9, 9]])
        #expect(Self.contents(original) == strings)
        #expect(Self.contents(snapshot) == Array(strings[..<200]))
    }
}
