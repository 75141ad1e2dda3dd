@testable import InputParsing
import Foundation
import Testing
import TestSupport

/// `YYYY-MM-DDTHH:MM:SS.sssZ` and `YYYY-MM-DDTHH:MM:SSZ` are read by a fast path of word loads and masks; for
/// every text it must give what the general calendar parser gives (which the RFC 3339 tests pin down).
@Suite("Canonical UTC timestamps")
struct CanonicalTimestampTests {
    /// The general parser's reading of `bytes`, zone-less times refused (as `parseTimestamp` with `.zonedOnly`).
    static func general(_ bytes: [UInt8]) -> Int64? {
        bytes.withUnsafeBufferPointer { parseCalendarTimestamp($0.baseAddress!, $0.count, zoneless: nil) }
    }

    static func parse(_ bytes: [UInt8]) -> Int64? {
        bytes.withUnsafeBytes { parseTimestamp($0, unit: .zonedOnly) }
    }

    static let bases = [
        "2026-11-01T00:00:00.003Z", "1970-01-01T00:00:00.000Z", "2024-02-29T23:59:60.999Z", "2023-02-28T12:34:56.789Z",
        "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2000-02-29T07:08:09.010Z", "2026-12-31T23:59:59Z",
        "1969-12-31T23:59:59Z", "2100-03-01T00:00:00Z",
    ]

    @Test("every day of 1899-12 to 2200-01, in both forms and the general one: days from the civil calendar, month ends refused past the month's length")
    func everyDayAcrossTheMonthTable() {
        // The expected value from Howard Hinnant's days_from_civil, written out here independently of the parser.
        func expected(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return Int64(era * 146_097 + doe - 719_468) * 86_400_000 + 45_296_789
        }
        func leap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
        var checked = 0
        for year in 1899...2200 {
            for month in 1...12 where (year > 1899 || month == 12) && (year < 2200 || month == 1) {
                let length = [31, leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
                for day in 1...31 {
                    let date = String(format: "%04d-%02d-%02d", year, month, day)
                    for text in ["\(date)T12:34:56.789Z", "\(date) 12:34:56.789+00:00"] {
                        let parsed = Self.parse(Array(text.utf8))
                        #expect(parsed == (day <= length ? expected(year, month, day) : nil), "\(text)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 2 * 31 * (12 * 300 + 2))
    }

    @Test("valid texts of both lengths: the general parser's milliseconds", arguments: bases)
    func validTexts(_ text: String) throws {
        let bytes = Array(text.utf8)
        let expected = try #require(Self.general(bytes))
        #expect(Self.parse(bytes) == expected)
    }

    @Test("every byte value at every position of both forms: the same result as the general parser, nil included")
    func everyByteAtEveryPosition() {
        var compared = 0
        for text in Self.bases {
            let original = Array(text.utf8)
            for position in original.indices {
                for byte in UInt8.min...UInt8.max {
                    var bytes = original
                    bytes[position] = byte
                    #expect(Self.parse(bytes) == Self.general(bytes), "\(String(decoding: bytes, as: UTF8.self))")
                    compared += 1
                }
            }
        }
        #expect(compared == (7 * 24 + 3 * 20) * 256)
    }

    @Test("random dates and times, impossible ones included: the same result as the general parser")
    func randomFields() {
        var random = SplitMix64(seed: 17)
        for _ in 0..<20_000 {
            func field(_ width: Int, below: Int) -> String {
                let value = String(random.next(below: below))
                return String(repeating: "0", count: width - value.count) + value
            }
            let date = "\(field(4, below: 10_000))-\(field(2, below: 14))-\(field(2, below: 33))"
            let time = "\(field(2, below: 25)):\(field(2, below: 61)):\(field(2, below: 62))"
            let text = random.next(below: 2) == 0 ? "\(date)T\(time).\(field(3, below: 1000))Z" : "\(date)T\(time)Z"
            let bytes = Array(text.utf8)
            #expect(Self.parse(bytes) == Self.general(bytes), "\(text)")
        }
    }
}
