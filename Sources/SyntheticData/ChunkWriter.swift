/// An output buffer that rows are formatted into directly and that is handed to a sink in big chunks.
///
/// Owns its memory (noncopyable); the sink sees a view that is valid only during the call.
struct ChunkWriter: ~Copyable {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private let chunkSize: Int
    private(set) var count = 0
    /// Bytes handed to the sink so far.
    private(set) var flushedBytes = 0

    /// `maxRowBytes` bounds one row, so a row that starts below `chunkSize` always fits.
    init(chunkSize: Int, maxRowBytes: Int) {
        self.chunkSize = max(1, chunkSize)
        capacity = self.chunkSize + maxRowBytes
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Hands the buffered bytes to `sink` if at least `chunkSize` are buffered.
    @inline(__always)
    mutating func flushIfFull(_ sink: (UnsafeRawBufferPointer) -> Void) {
        if count >= chunkSize { flush(sink) }
    }

    /// Hands all buffered bytes to `sink` (nothing if empty).
    mutating func flush(_ sink: (UnsafeRawBufferPointer) -> Void) {
        guard count > 0 else { return }
        sink(UnsafeRawBufferPointer(start: base, count: count))
        flushedBytes += count
        count = 0
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func comma() { byte(UInt8(ascii: ",")) }

    @inline(__always)
    mutating func newline() { byte(10) }

    mutating func bytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            (base + count).update(from: source.baseAddress!, count: source.count)
        }
        count += bytes.count
    }

    /// Writes `value` in decimal, left-padded with zeros to at least `width` digits.
    @inline(__always)
    mutating func unsigned(_ value: UInt64, width: Int = 1) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let total = max(digits, width)
        var v = value
        var i = count + total - 1
        while i >= count {
            base[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
            i -= 1
        }
        count += total
    }

    /// Writes `value` rounded half away from zero to `decimals` fixed decimals (no exponent; no
    /// minus sign on a value that rounds to zero). Non-finite values and magnitudes ≥ 1e9 are
    /// clamped to ±999999999 (the generator's values stay far below).
    @inline(__always)
    mutating func fixed(_ value: Double, decimals: Int) {
        let scale = powersOfTen[decimals]
        var magnitude = value.magnitude
        if !(magnitude < 1e9) { magnitude = 999_999_999 }  // also catches NaN
        let scaled = UInt64((magnitude * scale).rounded(.toNearestOrAwayFromZero))
        if value < 0 && scaled != 0 { byte(UInt8(ascii: "-")) }
        if decimals == 0 {
            unsigned(scaled)
            return
        }
        let unit = UInt64(scale)
        unsigned(scaled / unit)
        byte(UInt8(ascii: "."))
        unsigned(scaled % unit, width: decimals)
    }

    /// Writes epoch milliseconds as RFC 3339 UTC with milliseconds: `2026-11-20T13:05:02.123Z`
    /// (years 0000–9999).
    @inline(__always)
    mutating func timestamp(_ epochMs: Int64) {
        let days = epochMs >= 0 ? epochMs / 86_400_000 : (epochMs - 86_399_999) / 86_400_000
        let msOfDay = epochMs - days * 86_400_000
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        unsigned(UInt64(year), width: 4)
        byte(UInt8(ascii: "-"))
        unsigned(UInt64(month), width: 2)
        byte(UInt8(ascii: "-"))
        unsigned(UInt64(day), width: 2)
        byte(UInt8(ascii: "T"))
        unsigned(UInt64(msOfDay / 3_600_000), width: 2)
        byte(UInt8(ascii: ":"))
        unsigned(UInt64(msOfDay / 60_000 % 60), width: 2)
        byte(UInt8(ascii: ":"))
        unsigned(UInt64(msOfDay / 1000 % 60), width: 2)
        byte(UInt8(ascii: "."))
        unsigned(UInt64(msOfDay % 1000), width: 3)
        byte(UInt8(ascii: "Z"))
    }
}

/// 10^0 … 10^9, the supported decimal counts.
let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
@inline(__always)
func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
}
