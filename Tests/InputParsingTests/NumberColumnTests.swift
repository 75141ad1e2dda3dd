import Foundation
import InputParsing
import Testing
import TestSupport

/// `RecordReader(numberColumns:)` parses plain decimals while it scans a CSV record; everything a reader
/// without the hint reports (kinds, bytes, numbers to the bit, lines, row errors) must stay the same.
@Suite("Number columns read while scanning")
struct NumberColumnTests {
    /// One projected cell as a reader reports it.
    struct Cell: Equatable, CustomStringConvertible {
        var kind: FieldKind
        var text: String?
        /// `number(_:)`'s value as bits (a NaN compares by its bits).
        var numberBits: UInt64?

        var description: String { "\(kind) \(text.map { "\"\($0)\"" } ?? "nil") \(numberBits.map { Double(bitPattern: $0) }.map(String.init(describing:)) ?? "nil")" }
    }

    enum Event: Equatable {
        case record(line: Int, cells: [Cell])
        case error(String)
    }

    /// Reads `bytes` fed in pieces ending at `splits`, projecting `columns`, with `numberColumns` as the hint.
    static func read(_ bytes: [UInt8], columns: [String], numberColumns: [Int], delimiter: UInt8 = UInt8(ascii: ","), splits: [Int] = []) throws -> [Event] {
        let reader = RecordReader(format: .csv(delimiter: delimiter), columns: columns, source: "n.csv", numberColumns: numberColumns)
        var events: [Event] = []
        func drain() throws {
            while let event = try reader.next() {
                switch event {
                case .record(let record):
                    let cells = (0..<record.count).map { column in
                        Cell(kind: record.kind(column), text: record.string(column), numberBits: record.number(column).value?.bitPattern)
                    }
                    events.append(.record(line: record.line, cells: cells))
                case .rowError(let error):
                    events.append(.error(error.description))
                }
            }
        }
        try feedInChunks(bytes, to: reader, splits: splits, drain: drain)
        return events
    }

    /// Cells whose reading the scanner either takes over (plain decimals) or must leave to the general path.
    static let cells = [
        "0", "-0", "-0.0", "0.000", "7", "12", "-12.5", "0.1", "0.30000000000000004", "123456789.123456789",
        "1234567890123456789", "12345678901234567890", "9007199254740992", "9007199254740993", "-9007199254740993.5",
        "0.1234567890123456789", "00012.50", "1.", ".5", "+5", "-", "-.", "1e5", "1.5e-3", "2E+10", "nan", "-inf",
        "Infinity", "1.2.3", "12abc", "1,5", "", "\"\"", "\"12.5\"", "\"1\"\"2\"", "12\"3", "4 ", " 4", "1_000",
        // Exponents: read by the scanner while the power of ten (exponent less fraction digits) is within ±22.
        "1.5819e-04", "5.3613e-05", "-2.5E+3", "-0e-5", "0.000e7", "1e22", "1e23", "1e-22", "1.5e-22", "12345e-30",
        "9007199254740993e-3", "9.007199254740993e15", "1e0005", "1e999", "1e-999", "1e", "1e+", "1e-", "1.5ee3",
        "1.5e3.2", "1.5e-3x", "-1.25e+01",
    ]

    @Test("every cell reads the same with and without the hint, as the last field and before another", arguments: cells)
    func sameAsWithoutHint(cell: String) throws {
        for body in ["id,x,y\n1,\(cell),z\n", "id,y,x\n1,z,\(cell)\n", "id,y,x\r\n1,z,\(cell)\r\n", "id,y,x\n1,z,\(cell)"] {
            let bytes = Array(body.utf8)
            let plain = try Self.read(bytes, columns: ["x", "y", "id"], numberColumns: [])
            let hinted = try Self.read(bytes, columns: ["x", "y", "id"], numberColumns: [0])
            #expect(hinted == plain, "\(body.debugDescription)")
        }
    }

    @Test("a plain decimal's value is parseDouble's, bit for bit", arguments: cells)
    func valueIsParseDouble(cell: String) throws {
        let events = try Self.read(Array("x\n\(cell)\n".utf8), columns: ["x"], numberColumns: [0])
        guard case .record(_, let cells)? = events.first, cells[0].kind == .text, !cell.hasPrefix("\"") else { return }
        #expect(cells[0].numberBits == parseDouble(cell)?.bitPattern, "\(cell)")
    }

    @Test("random files read the same with and without the hint, at any split", arguments: [1, 2, 3, 4])
    func randomFiles(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let pieces = ["0", "1", "9", "5", "-", ".", "e", "\"", ",", "\n", "\r", "x", " "]
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";")] {
            let separator = String(UnicodeScalar(delimiter))
            var text = ["a", "b", "c", "d"].joined(separator: separator) + "\n"
            for _ in 0..<300 {
                let fields = (0..<4).map { _ in
                    // Mostly numbers, sometimes noise that the general path has to handle.
                    if Int.random(in: 0..<4, using: &generator) == 0 {
                        return (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                            let piece = pieces.randomElement(using: &generator)!
                            return piece == "," ? separator : piece
                        }.joined()
                    }
                    let sign = Bool.random(using: &generator) ? "-" : ""
                    let integer = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 1...12, using: &generator))
                    let fraction = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 0...10, using: &generator))
                    // Sometimes an exponent, of one to four digits (the scanner reads up to three).
                    let exponent = Int.random(in: 0..<3, using: &generator) == 0
                        ? ["e", "E"].randomElement(using: &generator)! + ["", "-", "+"].randomElement(using: &generator)!
                            + String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 1...4, using: &generator))
                        : ""
                    return sign + integer + (fraction.isEmpty ? "" : "." + fraction) + exponent
                }
                text += fields.joined(separator: separator) + (Int.random(in: 0..<10, using: &generator) == 0 ? "\r\n" : "\n")
            }
            let bytes = Array(text.utf8)
            let columns = ["d", "a", "c"]
            let plain = try Self.read(bytes, columns: columns, numberColumns: [], delimiter: delimiter)
            #expect(plain.count > 100)
            for _ in 0..<5 {
                let splits = (0..<8).map { _ in Int.random(in: 0...bytes.count, using: &generator) }.sorted()
                let hinted = try Self.read(bytes, columns: columns, numberColumns: [0, 1], delimiter: delimiter, splits: splits)
                #expect(hinted == plain, "delimiter \(delimiter), splits \(splits)")
            }
        }
    }

    @Test("a delimiter that can be part of a number turns the scan ahead off", arguments: [".", "-", "5", "e", "E", "+"])
    func numericDelimiter(delimiter: String) throws {
        let d = UInt8(ascii: UnicodeScalar(delimiter)!)
        let bytes = Array("a\(delimiter)b\n1\(delimiter)2\n".utf8)
        let plain = try Self.read(bytes, columns: ["a", "b"], numberColumns: [], delimiter: d)
        let hinted = try Self.read(bytes, columns: ["a", "b"], numberColumns: [0, 1], delimiter: d)
        #expect(hinted == plain)
    }

    @Test("decimals with an exponent read while scanning are correctly rounded (Double(String)'s value)", arguments: [1, 2])
    func exponentsCorrectlyRounded(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        var texts: [String] = []
        for _ in 0..<2000 {
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 1...17, using: &generator))
            let point = Int.random(in: 1...digits.count, using: &generator)
            let mantissa = digits.prefix(point) + (point < digits.count ? "." + digits.dropFirst(point) : "")
            texts.append("\(Bool.random(using: &generator) ? "-" : "")\(mantissa)e\(Int.random(in: -30...30, using: &generator))")
        }
        let events = try Self.read(Array(("x\n" + texts.joined(separator: "\n") + "\n").utf8), columns: ["x"], numberColumns: [0])
        #expect(events.count == texts.count)
        for (event, text) in zip(events, texts) {
            guard case .record(_, let cells) = event else {
                Issue.record("\(text): \(event)")
                continue
            }
            #expect(cells[0].numberBits == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test("the fraction digits of a decimal read while scanning", arguments: [
        ("12.50", 2), ("7", 0), ("-0.0016", 4), ("1.5e-4", 5), ("1.5E+3", 0), ("25e-1", 1), ("1e5", 0),
        ("\"12.5\"", nil), ("+5", nil), ("1e-23", nil), ("nan", nil), ("abc", nil),
    ] as [(String, Int?)])
    func fractionDigits(cell: String, expected: Int?) throws {
        let reader = RecordReader(format: .csv(), columns: ["x"], source: "n.csv", numberColumns: [0])
        reader.feed(Array("x\n\(cell)\n".utf8))
        reader.finish()
        guard case .record(let record)? = try reader.next() else {
            Issue.record("no record for \(cell)")
            return
        }
        #expect(record.fractionDigits(0) == expected, "\(cell)")
        if let expected, let value = record.number(0).value {
            // The value is the double nearest to an integer divided by 10^f.
            let integer = (value * pow(10, Double(expected))).rounded()
            #expect(integer / pow(10, Double(expected)) == value, "\(cell)")
        }
    }
}
