/// A growable, manually managed byte buffer (no CoW, no bounds checks); owned and freed by its user.
///
/// An empty buffer can also read bytes it does not own (``borrow(_:_:)``) until it is next appended to.
struct ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0
    /// The buffer's own storage while `base` points at borrowed bytes (only read, never written), else nil.
    private var ownStorage: UnsafeMutablePointer<UInt8>?

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func free() { (ownStorage ?? base).deallocate() }

    /// Reads `length` bytes at `bytes` in place of the (empty) contents, without copying them; they must stay
    /// valid and unchanged until the buffer is next appended to (the bytes not yet removed are then copied in).
    mutating func borrow(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        precondition(count == 0, "only an empty buffer borrows")
        if ownStorage == nil { ownStorage = base }
        base = UnsafeMutablePointer(mutating: bytes)
        count = length
    }

    /// Makes room for at least `extra` more bytes after `count`.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if ownStorage != nil { returnBorrowed() }
        if count + extra > capacity { grow(count + extra) }
    }

    /// Copies the borrowed bytes still held into the own storage and uses that again.
    private mutating func returnBorrowed() {
        guard let own = ownStorage else { return }
        let borrowed = base, length = count
        ownStorage = nil
        base = own
        count = 0
        if length > capacity { grow(length) }
        base.update(from: borrowed, count: length)
        count = length
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        reserve(length)
        (base + count).update(from: bytes, count: length)
        count += length
    }

    /// Drops the first `prefix` bytes, moving the rest to the front (borrowed bytes are not moved).
    mutating func removeFirst(_ prefix: Int) {
        guard prefix > 0 else { return }
        if ownStorage != nil {
            base += prefix
            count -= prefix
            return
        }
        let remaining = count - prefix
        if remaining > 0 { base.update(from: base + prefix, count: remaining) }
        count = remaining
    }
}
