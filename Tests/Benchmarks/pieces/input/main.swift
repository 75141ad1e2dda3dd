// The hand-written input pieces against what Foundation and the standard library offer, on one thread:
// number parsing (parseDouble vs Double(Substring), which calls strtod), RFC 3339 timestamps (parseTimestamp vs
// ISO8601DateFormatter) and JSON Lines records (RecordReader vs JSONSerialization per line), plus the CSV
// reader's rate (Foundation has no CSV reader). Compiled with Sources/InputParsing by Tests/Benchmarks/pieces.sh
// (swiftc -O, one module). Prints one line per piece: items/s of each and the ratio.
import Foundation

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The best of three timings, so a noisy neighbour does not decide the figure.
func best(_ body: () -> Void) -> Double { (0..<3).map { _ in seconds(body) }.min()! }

func report(_ piece: String, count: Int, hand: Double, library: Double, libraryName: String) {
    print(String(format: "%@: %d items; hand-written %.3gM/s, %@ %.3gM/s, ratio %.1f×", piece, count,
                 Double(count) / hand / 1e6, libraryName, Double(count) / library / 1e6, library / hand))
}

let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
var generator = 0x9E37_79B9_7F4A_7C15 as UInt64
func next() -> UInt64 { generator &+= 0x9E37_79B9_7F4A_7C15; var z = generator; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; return z ^ (z >> 31) }

// Numbers as the job's files hold them: scores with up to 17 digits, amounts, negatives, exponents.
let numbers: [String] = (0..<count).map { index in
    let x = Double(next() >> 11) / Double(1 << 53)
    switch index % 4 {
    case 0: return "\(x)"
    case 1: return String(format: "%.6f", x * 1000)
    case 2: return String(format: "%.3f", -x * 50)
    default: return String(format: "%.4e", x * 1e-5)
    }
}
var sum = 0.0
let handNumbers = best { for text in numbers { text.utf8.withContiguousStorageIfAvailable { sum += parseDouble(UnsafeRawBufferPointer($0)) ?? 0 } } }
let libraryNumbers = best { for text in numbers { sum += Double(Substring(text)) ?? 0 } }
report("numbers", count: count, hand: handNumbers, library: libraryNumbers, libraryName: "Double(Substring)")

// RFC 3339 timestamps with milliseconds, as in the benchmark's scores.csv.
let base = 1_793_577_600.0
let formatter = ISO8601DateFormatter()
formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
let stamps: [String] = (0..<count).map { _ in formatter.string(from: Date(timeIntervalSince1970: base + Double(next() % 2_592_000_000) / 1000)) }
var total: Int64 = 0
let handStamps = best { for text in stamps { text.utf8.withContiguousStorageIfAvailable { total &+= parseTimestamp(UnsafeRawBufferPointer($0)) ?? 0 } } }
let libraryStamps = best { for text in stamps { total &+= Int64((formatter.date(from: text)?.timeIntervalSince1970 ?? 0) * 1000) } }
report("timestamps", count: count, hand: handStamps, library: libraryStamps, libraryName: "ISO8601DateFormatter")

// Score rows: id, time, score, 5 numeric and 2 categorical features, as JSON Lines and as CSV.
let rows = count / 5
let columns = ["prediction_id", "prediction_time", "score", "f0", "f1", "f2", "f3", "f4", "c0", "c1"]
var jsonText = "", csvText = columns.joined(separator: ",") + "\n"
for index in 0..<rows {
    let values = (0..<5).map { _ in String(format: "%.6f", Double(next() % 1_000_000) / 1000) }
    let stamp = stamps[index]
    jsonText += "{\"prediction_id\":\"p\(index)\",\"prediction_time\":\"\(stamp)\",\"score\":\(numbers[index * 4 % count].hasPrefix("-") ? "0.5" : String(format: "%.6f", Double(next() % 1000) / 1000)),"
        + values.enumerated().map { "\"f\($0.offset)\":\($0.element)" }.joined(separator: ",") + ",\"c0\":\"eu west\",\"c1\":\"card\"}\n"
    csvText += "p\(index),\(stamp),0.5,\(values.joined(separator: ",")),eu west,card\n"
}
let jsonBytes = Array(jsonText.utf8), csvBytes = Array(csvText.utf8)
var fields = 0
func readAll(_ format: InputFormat, _ bytes: [UInt8], plainRecords: Bool = true) {
    let reader = RecordReader(format: format, columns: columns, source: "bench", numberColumns: [2, 3, 4, 5, 6, 7])
    reader.readsPlainRecords = plainRecords
    var offset = 0
    while offset < bytes.count {
        let end = min(offset + (1 << 20), bytes.count)
        bytes.withUnsafeBytes { reader.feed(UnsafeRawBufferPointer(rebasing: $0[offset..<end])) }
        while let event = try? reader.next() { if case .record(let record) = event { fields += record.kind(9) == .text ? 1 : 0 } }
        offset = end
    }
    reader.finish()
    while let event = try? reader.next() { if case .record = event { fields += 1 } }
}
let handJSON = best { readAll(.jsonLines, jsonBytes) }
let lines = jsonText.split(separator: "\n").map { Data($0.utf8) }
let libraryJSON = best { for line in lines { if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], object["c1"] != nil { fields += 1 } } }
report("JSON Lines rows", count: rows, hand: handJSON, library: libraryJSON, libraryName: "JSONSerialization")
let handCSV = best { readAll(.csv(), csvBytes) }
print(String(format: "CSV rows: %d rows, %.1f MB; hand-written %.2fM rows/s (%.0f MB/s); Foundation has no CSV reader", rows,
             Double(csvBytes.count) / 1e6, Double(rows) / handCSV / 1e6, Double(csvBytes.count) / handCSV / 1e6))
// The same rows with the plain-record path off (every record through the general scanner): what the SSE2
// separator masks (CByteClasses) are worth on their own.
let generalCSV = best { readAll(.csv(), csvBytes, plainRecords: false) }
print(String(format: "CSV rows, general scanner only: %.2fM rows/s; the plain-record path %.2f× that", Double(rows) / generalCSV / 1e6, generalCSV / handCSV))
if sum == 42 || total == 42 || fields == 42 { print("") }  // keep the results alive
