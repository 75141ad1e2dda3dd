/// What a source declares about its timestamps: how a purely numeric timestamp is read (if at all), and which
/// offset a timestamp without a zone has (if any). What is not declared is rejected, never guessed.
public struct TimestampUnit: Sendable, Hashable {
    /// How epoch numbers are read.
    public enum Epoch: Sendable, Hashable {
        /// Magnitude of the integer part below 1e11 means seconds, otherwise milliseconds.
        /// (1e11 s is the year 5138; 1e11 ms is 1973-03-03, so realistic data is unambiguous.)
        case auto
        /// Epoch seconds, fractional part allowed.
        case seconds
        /// Epoch milliseconds, fractional part truncated.
        case milliseconds
        /// Epoch microseconds, truncated to milliseconds (toward negative infinity).
        case microseconds
        /// Epoch nanoseconds, truncated to milliseconds (toward negative infinity).
        case nanoseconds

        /// Units per millisecond for the sub-millisecond units, 1 otherwise.
        var perMillisecond: Int64 {
            switch self {
            case .microseconds: 1_000
            case .nanoseconds: 1_000_000
            default: 1
            }
        }
    }

    /// How epoch numbers are read; nil rejects them.
    public var epoch: Epoch?
    /// The offset from UTC, in minutes east, of a timestamp written without a zone (a bare date included);
    /// nil rejects such timestamps.
    public var zonelessOffsetMinutes: Int?

    public init(epoch: Epoch?, zonelessOffsetMinutes: Int?) {
        self.epoch = epoch
        self.zonelessOffsetMinutes = zonelessOffsetMinutes
    }

    /// Epoch numbers by magnitude, zone-less times as UTC: for callers that know their text (the command line's
    /// `--as-of`), not for data.
    public static let auto = TimestampUnit(epoch: .auto, zonelessOffsetMinutes: 0)
    /// Epoch seconds; zone-less times as UTC.
    public static let seconds = TimestampUnit(epoch: .seconds, zonelessOffsetMinutes: 0)
    /// Epoch milliseconds; zone-less times as UTC.
    public static let milliseconds = TimestampUnit(epoch: .milliseconds, zonelessOffsetMinutes: 0)
    /// Only timestamps with a zone (`Z` or an offset): nothing declared.
    public static let zonedOnly = TimestampUnit(epoch: nil, zonelessOffsetMinutes: nil)

    /// What a timestamp that failed to parse under this declaration lacks, if it would parse with it.
    public enum Undeclared: Sendable, Equatable {
        /// An epoch number, and no epoch unit is declared.
        case epochUnit
        /// A date and time without a zone, and no time zone is declared.
        case timeZone
    }

    /// Why `bytes`, which did not parse under this declaration, was refused: the missing declaration, or nil
    /// when the text is not a timestamp at all. Off the hot path: called only for rejected values.
    public func undeclared(_ bytes: UnsafeRawBufferPointer) -> Undeclared? {
        if epoch == nil, parseTimestamp(bytes, unit: TimestampUnit(epoch: .auto, zonelessOffsetMinutes: zonelessOffsetMinutes)) != nil {
            return .epochUnit
        }
        if zonelessOffsetMinutes == nil, parseTimestamp(bytes, unit: TimestampUnit(epoch: epoch, zonelessOffsetMinutes: 0)) != nil {
            return .timeZone
        }
        return nil
    }
}

/// Parses a timestamp into epoch milliseconds (UTC).
///
/// Accepted forms:
/// - RFC 3339 / ISO 8601: `YYYY-MM-DD[T|t|space]HH:MM[:SS[.fraction]][Z|z|±HH:MM|±HHMM|±HH]`; without an offset
///   (a bare date `YYYY-MM-DD` is midnight) the time is read at `unit.zonelessOffsetMinutes`, or rejected when
///   that is nil. Fractional seconds are truncated to milliseconds.
///   Fields are range-checked (month 1–12, day within the month incl. leap years, hour 0–23, minute 0–59,
///   second 0–60; a leap second 60 simply lands on the next minute).
/// - Epoch numbers (optional sign, optional fraction, or exponent notation) interpreted per `unit.epoch`
///   (rejected when it is nil); fractions below a millisecond are dropped (rounded toward negative infinity).
/// Returns nil for anything else or on Int64 overflow.
public func parseTimestamp(_ bytes: UnsafeRawBufferPointer, unit: TimestampUnit = .auto) -> Int64? {
    let count = bytes.count
    guard count > 0, let raw = bytes.baseAddress else { return nil }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    if count >= 10 && base[4] == UInt8(ascii: "-") {
        if count == 24 || count == 20, let milliseconds = parseCanonicalUTCTimestamp(base, count) { return milliseconds }
        return parseCalendarTimestamp(base, count, zoneless: unit.zonelessOffsetMinutes)
    }
    guard let epoch = unit.epoch else { return nil }
    return parseEpochTimestamp(base, count, unit: epoch)
}

/// Parses a `String` timestamp; see `parseTimestamp(_:unit:)`.
public func parseTimestamp(_ text: String, unit: TimestampUnit = .auto) -> Int64? {
    var text = text
    return text.withUTF8 { parseTimestamp(UnsafeRawBufferPointer($0), unit: unit) }
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` as three little-endian words of eight bytes: per word, the digits' bytes (0xFF)
/// and, at the other bytes, the separators as they must be.
private let canonicalDigits: (UInt64, UInt64, UInt64) = (0x00FF_FF00_FFFF_FFFF, 0xFFFF_00FF_FF00_FFFF, 0x00FF_FFFF_00FF_FF00)
private let canonicalSeparators: (UInt64, UInt64, UInt64) = (0x2D00_002D_0000_0000, 0x0000_3A00_0054_0000, 0x5A00_0000_2E00_003A)

/// Reads `YYYY-MM-DDTHH:MM:SS.sssZ` (24 bytes) or `YYYY-MM-DDTHH:MM:SSZ` (20 bytes), what most producers write,
/// with three loads and masks instead of a byte at a time; nil for anything else, which
/// ``parseCalendarTimestamp(_:_:zoneless:)`` then reads (both check and convert the fields with
/// ``epochMilliseconds(year:month:day:hour:minute:second:millis:offsetMinutes:)``).
@inline(__always)
private func parseCanonicalUTCTimestamp(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
    let raw = UnsafeRawPointer(base)
    let dateWord = raw.loadUnaligned(as: UInt64.self).littleEndian
    let timeWord = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
    let secondsWord: UInt64
    if count == 24 {
        secondsWord = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian
    } else {
        // `:SSZ`: its `:SS` where the long form has it, and `.000Z` after.
        let last = raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self).littleEndian
        guard last >> 56 == 0x5A else { return nil }
        secondsWord = (last >> 32) & 0xFF_FFFF | 0x5A30_3030_2E00_0000
    }
    /// Whether the digit bytes of `word` (per `digits`) are ASCII digits and its other bytes are `separators`.
    @inline(__always) func matches(_ word: UInt64, digits: UInt64, separators: UInt64) -> Bool {
        let highNibbles = word & 0xF0F0_F0F0_F0F0_F0F0 & digits
        // A low nibble of 10 or more carries into its byte's high nibble when 6 is added.
        let pastNine = ((word & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 & digits
        return highNibbles == 0x3030_3030_3030_3030 & digits && pastNine == 0 && word & ~digits == separators
    }
    guard matches(dateWord, digits: canonicalDigits.0, separators: canonicalSeparators.0),
          matches(timeWord, digits: canonicalDigits.1, separators: canonicalSeparators.1),
          matches(secondsWord, digits: canonicalDigits.2, separators: canonicalSeparators.2)
    else { return nil }
    // Each byte's low nibble (a digit's value), then every byte combined with the next as a two-digit number
    // (10 × a + b ≤ 165 for any nibbles: no carry between bytes): the fields are then single bytes of `pairs`.
    @inline(__always) func nibbles(_ word: UInt64) -> UInt64 { word & 0x0F0F_0F0F_0F0F_0F0F }
    @inline(__always) func pairs(_ word: UInt64) -> UInt64 { nibbles(word) &* 10 &+ nibbles(word) >> 8 }
    @inline(__always) func byte(_ word: UInt64, _ index: Int) -> Int { Int(truncatingIfNeeded: word >> UInt64(8 &* index) & 0xFF) }
    let datePairs = pairs(dateWord), timePairs = pairs(timeWord), secondsPairs = pairs(secondsWord)
    let year = byte(datePairs, 0) &* 100 &+ byte(datePairs, 2)
    let month = byte(datePairs, 5)
    let day = byte(timePairs, 0), hour = byte(timePairs, 3), minute = byte(timePairs, 6)
    let second = byte(secondsPairs, 1)
    let millis = byte(secondsPairs, 4) &* 10 &+ byte(nibbles(secondsWord), 6)
    return epochMilliseconds(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second, millis: millis, offsetMinutes: 0)
}

/// The epoch milliseconds of a date and time read `offsetMinutes` east of UTC, or nil when a field is out of
/// range: month 1–12, day within the month (leap years included), hour 0–23, minute 0–59, second 0–60 (a leap
/// second lands on the next minute).
@inline(__always)
private func epochMilliseconds(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millis: Int, offsetMinutes: Int
) -> Int64? {
    guard month >= 1 && month <= 12 && hour <= 23 && minute <= 59 && second <= 60 else { return nil }
    // The month's first day and length: looked up for the years of the table (data's years), computed otherwise.
    let monthStart: Int, monthLength: Int
    if year >= MonthStarts.firstYear && year < MonthStarts.endYear {
        let tableIndex = (year &- MonthStarts.firstYear) &* 12 &+ month &- 1
        monthStart = Int(MonthStarts.days[tableIndex])
        monthLength = Int(MonthStarts.days[tableIndex &+ 1]) &- monthStart
    } else {
        monthStart = daysFromCivil(year: year, month: month, day: 1)
        monthLength = daysInMonth(year: year, month: month)
    }
    guard day >= 1 && day <= monthLength else { return nil }
    let days = monthStart + day - 1
    return Int64(((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second) * 1000 + Int64(millis)
}

/// Days from 1970-01-01 to the first day of every month of ``firstYear`` ..< ``endYear`` and to the first day
/// after them: a timestamp's day in one lookup (and its month's length as the difference to the next), instead
/// of ``daysFromCivil(year:month:day:)``'s divisions and ``daysInMonth(year:month:)``'s leap-year test.
enum MonthStarts {
    static let firstYear = 1900
    static let endYear = 2200
    static let days: [Int32] = (firstYear..<endYear).flatMap { year in
        (1...12).map { Int32(daysFromCivil(year: year, month: $0, day: 1)) }
    } + [Int32(daysFromCivil(year: endYear, month: 1, day: 1))]
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
@inline(__always)
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

/// Number of days in `month` of `year` (Gregorian leap rules).
@inline(__always)
func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

func parseCalendarTimestamp(_ base: UnsafePointer<UInt8>, _ count: Int, zoneless: Int?) -> Int64? {
    var index = 0
    @inline(__always) func digits(_ width: Int) -> Int? {
        guard index + width <= count else { return nil }
        var value = 0
        for offset in 0..<width {
            let digit = base[index + offset] &- 48
            guard digit <= 9 else { return nil }
            value = value * 10 + Int(digit)
        }
        index += width
        return value
    }
    @inline(__always) func expect(_ byte: UInt8) -> Bool {
        guard index < count && base[index] == byte else { return false }
        index += 1
        return true
    }
    guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
        let day = digits(2)
    else { return nil }
    var hour = 0
    var minute = 0
    var second = 0
    var millis = 0
    var offsetMinutes = zoneless ?? 0
    var zoned = false
    if index < count {
        let separator = base[index]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
        else { return nil }
        index += 1
        guard let h = digits(2), expect(UInt8(ascii: ":")), let m = digits(2) else { return nil }
        hour = h
        minute = m
        if index < count && base[index] == UInt8(ascii: ":") {
            index += 1
            guard let s = digits(2) else { return nil }
            second = s
            if index < count && (base[index] == UInt8(ascii: ".") || base[index] == UInt8(ascii: ",")) {
                index += 1
                var fractionDigits = 0
                while index < count, base[index] &- 48 <= 9 {
                    if fractionDigits < 3 { millis = millis * 10 + Int(base[index] &- 48) }
                    fractionDigits += 1
                    index += 1
                }
                guard fractionDigits > 0 else { return nil }
                for _ in fractionDigits..<max(fractionDigits, 3) { millis *= 10 }
            }
        }
        if index < count {
            let zone = base[index]
            index += 1
            zoned = true
            if zone == UInt8(ascii: "Z") || zone == UInt8(ascii: "z") {
                offsetMinutes = 0
            } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
                guard let offsetHours = digits(2) else { return nil }
                var offsetMins = 0
                if index < count {
                    _ = expect(UInt8(ascii: ":"))
                    guard let m = digits(2) else { return nil }
                    offsetMins = m
                }
                guard offsetHours <= 23 && offsetMins <= 59 else { return nil }
                offsetMinutes = (offsetHours * 60 + offsetMins) * (zone == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
    }
    guard index == count, zoned || zoneless != nil else { return nil }
    return epochMilliseconds(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second, millis: millis,
        offsetMinutes: offsetMinutes)
}

private func parseEpochTimestamp(_ base: UnsafePointer<UInt8>, _ count: Int, unit: TimestampUnit.Epoch) -> Int64? {
    var index = 0
    var negative = false
    if base[0] == UInt8(ascii: "-") || base[0] == UInt8(ascii: "+") {
        negative = base[0] == UInt8(ascii: "-")
        index = 1
    }
    var integer: Int64 = 0
    var integerDigits = 0
    while index < count, base[index] &- 48 <= 9 {
        let (times10, overflow1) = integer.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(Int64(base[index] &- 48))
        guard !overflow1 && !overflow2 else { return nil }
        integer = sum
        integerDigits += 1
        index += 1
    }
    var fraction: Int64 = 0  // first three fractional digits, as thousandths
    var fractionNonZeroBeyond = false
    var fractionDigits = 0
    if index < count && base[index] == UInt8(ascii: ".") {
        index += 1
        while index < count, base[index] &- 48 <= 9 {
            let digit = Int64(base[index] &- 48)
            if fractionDigits < 3 {
                fraction = fraction * 10 + digit
            } else if digit != 0 {
                fractionNonZeroBeyond = true
            }
            fractionDigits += 1
            index += 1
        }
        for _ in fractionDigits..<max(fractionDigits, 3) { fraction *= 10 }
    }
    guard integerDigits + fractionDigits > 0 else { return nil }
    if index < count {
        // Exponent notation or garbage: let the double parser decide, then scale.
        guard let value = parseDouble(UnsafeRawBufferPointer(start: base, count: count)), value.isFinite else {
            return nil
        }
        let useSeconds = unit == .seconds || (unit == .auto && abs(value) < 1e11)
        let millis = useSeconds ? value * 1000 : value / Double(unit.perMillisecond)
        guard abs(millis) < 9.2e18 else { return nil }
        // Floor without libm: truncate toward zero, then step down for negative fractions.
        var whole = Int64(millis)
        if Double(whole) > millis { whole -= 1 }
        return whole
    }
    let useSeconds = unit == .seconds || (unit == .auto && integer < 100_000_000_000)
    var millis: Int64
    if useSeconds {
        let (scaled, overflow1) = integer.multipliedReportingOverflow(by: 1000)
        guard !overflow1 else { return nil }
        millis = scaled + fraction
        if negative {
            millis = -millis
            if fractionNonZeroBeyond { millis -= 1 }
        }
    } else {
        let divisor = unit.perMillisecond
        millis = integer / divisor
        if negative {
            millis = -millis
            if integer % divisor != 0 || fraction != 0 || fractionNonZeroBeyond { millis -= 1 }
        }
    }
    return millis
}
