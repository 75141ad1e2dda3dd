@testable import InputParsing
import Testing
import TestSupport

/// The CSV reader takes plain records (no quote, no carriage return, the header's field count) the fast way, from
/// bit masks of the input's separators 64 bytes at a time, and leaves every other record to the general scanner.
/// Whatever the input and however it is cut, a reader must report exactly what the general scanner alone reports:
/// the same records, lines, kinds, bytes, numbers to the bit, fraction digits and row errors.
@Suite("Plain CSV records read from separator masks")
struct PlainRecordPathTests {
    /// One projected cell as a reader reports it.
    struct Cell: Equatable {
        var kind: FieldKind
        var bytes: [UInt8]?
        var numberBits: UInt64?
        var fractionDigits: Int?
    }

    enum Event: Equatable {
        case record(line: Int, cells: [Cell])
        case error(String)
    }

    /// What a reader reports for `bytes` fed in pieces ending at `splits`, and how many records took the plain path.
    static func read(
        _ bytes: [UInt8], plain: Bool, columns: [String], numberColumns: [Int], delimiter: UInt8, splits: [Int],
        maxRecordBytes: Int = RecordReader.defaultMaxRecordBytes
    ) throws -> (events: [Event], plainRecords: Int, lastLine: Int) {
        let reader = RecordReader(
            format: .csv(delimiter: delimiter), columns: columns, source: "p.csv", numberColumns: numberColumns,
            maxRecordBytes: maxRecordBytes)
        reader.readsPlainRecords = plain
        var events: [Event] = []
        func drain() throws {
            while let event = try reader.next() {
                switch event {
                case .record(let record):
                    let cells = (0..<record.count).map { column in
                        Cell(
                            kind: record.kind(column), bytes: record.bytes(column),
                            numberBits: record.number(column).value?.bitPattern, fractionDigits: record.fractionDigits(column))
                    }
                    events.append(.record(line: record.line, cells: cells))
                case .rowError(let error):
                    events.append(.error(error.description))
                }
            }
        }
        try feedInChunks(bytes, to: reader, splits: splits, drain: drain)
        return (events, reader.plainRecordsRead, reader.currentLine)
    }

    /// A random CSV file: mostly plain rows whose values span the 64-byte windows in every way, with quoted
    /// fields (delimiters, line feeds and doubled quotes inside), carriage returns, blank lines, rows with a
    /// field too many or too few, stray quotes and long rows mixed in.
    static func randomFile(seed: UInt64, delimiter: UInt8, columns: Int) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        let separator = String(UnicodeScalar(delimiter))
        func number() -> String {
            let sign = Bool.random(using: &generator) ? "-" : ""
            let integer = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 1...8, using: &generator))
            let fraction = String(UInt64.random(in: 0...UInt64.max, using: &generator)).prefix(Int.random(in: 0...6, using: &generator))
            let exponent = Int.random(in: 0..<5, using: &generator) == 0 ? "e-0\(Int.random(in: 1...9, using: &generator))" : ""
            return sign + integer + (fraction.isEmpty ? "" : "." + fraction) + exponent
        }
        func value() -> String {
            switch Int.random(in: 0..<40, using: &generator) {
            case 0: return "\"quoted\(separator)with delimiter\""
            case 1: return "\"two\nlines\""
            case 2: return "\"doubled \"\" quote\""
            case 3: return "stray\"quote"
            case 4: return "\"\""
            case 5: return String(repeating: "x", count: Int.random(in: 60...200, using: &generator))
            case 6...11: return ""
            case 12...19: return ["web", "state_02", "us east", "merchant_0027", "nan", "12abc", "1.", "+5"].randomElement(using: &generator)!
            default: return number()
            }
        }
        var text = (0..<columns).map { "c\($0)" }.joined(separator: separator) + "\n"
        for _ in 0..<600 {
            switch Int.random(in: 0..<60, using: &generator) {
            case 0: text += "\n"
            case 1: text += "\r\n"
            default:
                let count = switch Int.random(in: 0..<40, using: &generator) {
                case 0: columns + 1
                case 1: columns - 1
                default: columns
                }
                text += (0..<count).map { _ in value() }.joined(separator: separator)
                text += Int.random(in: 0..<30, using: &generator) == 0 ? "\r\n" : "\n"
            }
        }
        return Array(text.utf8)
    }

    @Test("random files read the same as with the general scanner alone, at any cut", arguments: [1, 2, 3, 4, 5, 6])
    func sameAsGeneralScanner(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed &+ 100)
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";")] {
            let bytes = Self.randomFile(seed: seed, delimiter: delimiter, columns: 7)
            // Columns in another order than the file's, one twice, one column not projected (c3).
            let columns = ["c6", "c0", "c2", "c1", "c4", "c5", "c0"]
            let numbers = [0, 2, 3, 4]
            let general = try Self.read(bytes, plain: false, columns: columns, numberColumns: numbers, delimiter: delimiter, splits: [])
            #expect(general.plainRecords == 0)
            #expect(general.events.count > 500)
            var cuts: [[Int]] = [[], Array(stride(from: 1, to: bytes.count, by: 61)), Array(stride(from: 7, to: bytes.count, by: 4096))]
            for _ in 0..<4 { cuts.append((0..<12).map { _ in Int.random(in: 0...bytes.count, using: &generator) }.sorted()) }
            for splits in cuts {
                let plain = try Self.read(bytes, plain: true, columns: columns, numberColumns: numbers, delimiter: delimiter, splits: splits)
                #expect(plain.events == general.events, "delimiter \(delimiter), splits \(splits.prefix(20))")
                #expect(plain.lastLine == general.lastLine)
                // About a third of the rows are plain: the fast path must have read them (unless the cuts leave it no 64-byte window).
                if splits.count < 100 { #expect(plain.plainRecords > general.events.count / 4) }
            }
        }
    }

    @Test("records longer than the limit are reported the same way", arguments: [70, 100, 150])
    func tooLongRecords(limit: Int) throws {
        let bytes = Self.randomFile(seed: 9, delimiter: UInt8(ascii: ","), columns: 5)
        let columns = ["c0", "c1", "c2", "c3", "c4"]
        let general = try Self.read(bytes, plain: false, columns: columns, numberColumns: [1], delimiter: UInt8(ascii: ","), splits: [], maxRecordBytes: limit)
        let plain = try Self.read(bytes, plain: true, columns: columns, numberColumns: [1], delimiter: UInt8(ascii: ","), splits: [], maxRecordBytes: limit)
        #expect(general.events.contains { if case .error(let text) = $0 { text.contains("longer than") } else { false } })
        #expect(plain.events == general.events)
        #expect(plain.plainRecords > 0)
    }

    /// Rows built so that a quote, a carriage return, a blank line or a separator falls on every byte of a
    /// 64-byte window's edges: the masks' first and last bits and the step from one window to the next.
    @Test("special bytes at every offset around the window edges", arguments: Array(0..<8))
    func windowEdges(kind: Int) throws {
        let special = ["\"a\"", "a\r", "", "a\"b", "\"a,b\"", "1.5", "-", "x,y"][kind]
        for pad in 0..<130 {
            var text = "a,b,c\n"
            text += "1," + String(repeating: "p", count: pad) + ",2\n"
            text += "3,\(special),4\n"
            text += String(repeating: "7,8,9\n", count: 30)
            let bytes = Array(text.utf8)
            let columns = ["c", "a", "b"]
            let general = try Self.read(bytes, plain: false, columns: columns, numberColumns: [0, 1], delimiter: UInt8(ascii: ","), splits: [])
            let plain = try Self.read(bytes, plain: true, columns: columns, numberColumns: [0, 1], delimiter: UInt8(ascii: ","), splits: [])
            #expect(plain.events == general.events, "pad \(pad), special \(special.debugDescription)")
            #expect(plain.plainRecords > 20)
        }
    }

    @Test("a one-column file's blank lines are skipped, not read as empty records")
    func oneColumnBlankLines() throws {
        let text = "x\n" + (0..<200).map { $0 % 7 == 3 ? "" : "\($0).25" }.joined(separator: "\n") + "\n\n\n7\n"
        let bytes = Array(text.utf8)
        let general = try Self.read(bytes, plain: false, columns: ["x"], numberColumns: [0], delimiter: UInt8(ascii: ","), splits: [])
        let plain = try Self.read(bytes, plain: true, columns: ["x"], numberColumns: [0], delimiter: UInt8(ascii: ","), splits: [])
        #expect(general.events.count == 200 - 29 + 1)
        #expect(plain.events == general.events)
        #expect(plain.plainRecords > 100)
    }

    @Test("a plain record is known to be ASCII exactly when every byte of it is", arguments: [11, 12, 13])
    func knownASCII(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        // Plain rows whose values (1 to 100 bytes) put a multi-byte character or a lone 0xFF byte at every offset
        // around the 64-byte windows, including in the record's first and last bytes; a third of the rows are ASCII.
        let foreign: [[UInt8]] = [Array("é".utf8), Array("東".utf8), [0xFF], Array("𝄞".utf8)]
        var file = Array("a,b,c\n".utf8)
        var rowIsASCII: [Bool] = []
        for _ in 0..<3000 {
            var row: [UInt8] = []
            var ascii = true
            for column in 0..<3 {
                if column > 0 { row.append(UInt8(ascii: ",")) }
                var value = (0..<(1 + generator.next(below: 100))).map { _ in UInt8(ascii: "a") + UInt8(generator.next(below: 26)) }
                if generator.next(below: 3) != 0, generator.next(below: 3) == 0 {
                    value.insert(contentsOf: foreign[generator.next(below: foreign.count)], at: generator.next(below: value.count + 1))
                    ascii = false
                }
                row += value
            }
            file += row + [0x0A]
            rowIsASCII.append(ascii)
        }
        for splits in [[], Array(stride(from: 4096, to: file.count, by: 4096))] {
            let reader = RecordReader(format: .csv(), columns: ["a", "b", "c"], source: "a.csv")
            var known: [Bool] = []
            try feedInChunks(file, to: reader, splits: splits) {
                while let event = try reader.next() {
                    guard case .record(let record) = event else { Issue.record("row error"); continue }
                    known.append(record.isKnownASCII)
                }
            }
            #expect(known.count == rowIsASCII.count)
            // Every row but those too near a piece's end (no 64 readable bytes) takes the plain path.
            #expect(reader.plainRecordsRead >= rowIsASCII.count - 2 * (splits.count + 1))
            let wrong = zip(known, rowIsASCII).enumerated().filter { $0.element.0 && !$0.element.1 }
            #expect(wrong.isEmpty, "rows \(wrong.prefix(5).map { $0.offset + 2 }) are not ASCII")
            #expect(zip(known, rowIsASCII).filter { $0.1 && !$0.0 }.count <= 2 * (splits.count + 1))
        }
    }
}
