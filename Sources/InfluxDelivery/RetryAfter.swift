/// Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an IMF-fixdate such as
/// `Wed, 21 Oct 2015 07:28:00 GMT`. Obsolete RFC 850 and asctime dates are not understood
/// (the caller then falls back to its backoff).
public enum RetryAfter {
    /// The delay the header asks for, never negative; nil when absent or unparseable.
    public static func delay(_ value: String?, nowEpochMilliseconds: Int64) -> Duration? {
        guard let raw = value?.trimmingSpaces(), !raw.isEmpty else { return nil }
        if raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(raw) else { return .seconds(Int64.max / 1_000_000_000_000) }  // absurdly large: capped later
            return .seconds(seconds)
        }
        guard let dateMs = imfFixdateEpochMilliseconds(raw) else { return nil }
        return .milliseconds(max(0, dateMs - nowEpochMilliseconds))
    }

    static func imfFixdateEpochMilliseconds(_ text: String) -> Int64? {
        // "Sun, 06 Nov 1994 08:49:37 GMT"
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT" else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let h = Int(time[0]), let m = Int(time[1]), let s = Int(time[2]),
            (1...31).contains(day), (0...23).contains(h), (0...59).contains(m), (0...60).contains(s)
        else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return (Int64(days) * 86_400 + Int64(h * 3600 + m * 60 + s)) * 1000
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
