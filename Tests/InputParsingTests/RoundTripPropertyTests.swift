import InputParsing
import Testing
import TestSupport

@Suite("Encode-then-parse round trips")
struct RoundTripPropertyTests {
    static let alphabet: [String] = ["a", "b", "7", ",", "\"", "\n", "\r\n", " ", "é", "😀", ".", "\t"]

    static func randomText(_ generator: inout SplitMix64) -> String {
        (0..<Int.random(in: 1...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
    }

    /// RFC 4180 encoding: quote when needed (or at random), double inner quotes.
    static func csvField(_ value: Value, _ generator: inout SplitMix64) -> String {
        switch value {
        case .null: return ""
        case .empty: return "\"\""
        case .text(let text):
            let needsQuotes = text.utf8.contains(where: { [0x2C, 0x22, 0x0A, 0x0D].contains($0) })
            if needsQuotes || Bool.random(using: &generator) {
                let doubled = text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
                return "\"" + doubled + "\""
            }
            return text
        }
    }

    static func randomValue(_ generator: inout SplitMix64) -> Value {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: .null
        case 1: .empty
        default: .text(randomText(&generator))
        }
    }

    @Test("random RFC 4180 documents parse back to their values with right line numbers")
    func csvRoundTrip() throws {
        var generator = SplitMix64(seed: 99)
        for _ in 0..<150 {
            let columnCount = Int.random(in: 1...4, using: &generator)
            let names = (0..<columnCount).map { "c\($0)" }
            var text = names.joined(separator: ",") + "\r\n"
            var line = 2
            var expected: [Item] = []
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                var values = (0..<columnCount).map { _ in Self.randomValue(&generator) }
                if columnCount == 1 && values[0] == .null { values[0] = .empty }  // a blank line is skipped
                let encoded = values.map { Self.csvField($0, &generator) }.joined(separator: ",")
                expected.append(.record(line: line, values: values))
                line += encoded.utf8.filter { $0 == 0x0A }.count + 1
                text += encoded + (Bool.random(using: &generator) ? "\n" : "\r\n")
            }
            let bytes = Array(text.utf8)
            let reversed = Array(names.reversed())
            let expectedReversed = expected.map { item -> Item in
                guard case .record(let line, let values) = item else { return item }
                return .record(line: line, values: values.reversed())
            }
            let split = Int.random(in: 0...bytes.count, using: &generator)
            #expect(try readAll(bytes, format: .csv(), columns: reversed, splits: [split]) == expectedReversed,
                "\(text.debugDescription)")
        }
    }

    static func jsonString(_ text: String, _ generator: inout SplitMix64) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += Bool.random(using: &generator) ? "\\t" : "\\u0009"
            default:
                if scalar.value > 0xFFFF && Bool.random(using: &generator) {
                    let value = scalar.value - 0x10000
                    let high = 0xD800 + (value >> 10)
                    let low = 0xDC00 + (value & 0x3FF)
                    out += "\\u" + String(high, radix: 16) + "\\u" + String(low, radix: 16, uppercase: true)
                } else if scalar.value > 0x7F && Bool.random(using: &generator) && scalar.value <= 0xFFFF {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    @Test("random JSON Lines objects parse back to their string values")
    func jsonRoundTrip() throws {
        var generator = SplitMix64(seed: 5)
        var text = ""
        var expected: [Item] = []
        for line in 1...300 {
            let values = (0..<3).map { _ in Self.randomValue(&generator) }
            var members: [String] = []
            for (index, value) in values.enumerated() {
                switch value {
                case .null: if Bool.random(using: &generator) { members.append("\"k\(index)\": null") }
                case .empty: members.append("\"k\(index)\":\"\"")
                case .text(let string): members.append("\"k\(index)\" : " + Self.jsonString(string, &generator))
                }
            }
            members.append("\"other\": {\"k0\": [1, \"x\"]}")
            members.shuffle(using: &generator)
            text += "{" + members.joined(separator: ", ") + "}\n"
            expected.append(.record(line: line, values: values))
        }
        let bytes = Array(text.utf8)
        let items = try readAll(bytes, format: .jsonLines, columns: ["k0", "k1", "k2"], splits: [bytes.count / 3])
        #expect(items == expected)
    }
}
