import SyntheticData

/// One generated scenario held in memory.
struct Output {
    var scores: [UInt8]
    var labels: [UInt8]
    var summary: GenerationSummary
}

/// 2026-10-01T00:00:00Z.
let testStart: Int64 = 1_790_812_800_000
let hourMs: Int64 = 3_600_000
let dayMs: Int64 = 86_400_000

/// A small scenario: `days` days at `perHour` predictions per hour, labels kept past the end.
func smallConfig(
    seed: UInt64 = 1, days: Int = 2, perHour: Int = 100, incidents: [Incident] = []
) -> ScenarioConfig {
    ScenarioConfig(
        seed: seed, startMs: testStart, days: days, predictionsPerHour: perHour, dropLabelsAfterEnd: false,
        incidents: incidents
    )
}

func generate(_ config: ScenarioConfig, chunkSize: Int = 1 << 20) throws -> Output {
    let generator = try Generator(config: config)
    var scores: [UInt8] = []
    var labels: [UInt8] = []
    let summary = generator.generate(
        chunkSize: chunkSize,
        scores: { scores.append(contentsOf: $0) },
        labels: { labels.append(contentsOf: $0) }
    )
    return Output(scores: scores, labels: labels, summary: summary)
}

/// FNV-1a over the bytes.
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x100_0000_01b3
    }
    return hash
}

/// RFC 4180 parse of `\n`-terminated records (header included).
func parseCSV(_ bytes: [UInt8]) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        if inQuotes {
            if b == UInt8(ascii: "\"") {
                if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                    field.append(b)
                    i += 1
                } else {
                    inQuotes = false
                }
            } else {
                field.append(b)
            }
        } else if b == UInt8(ascii: "\"") {
            inQuotes = true
        } else if b == UInt8(ascii: ",") {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        } else if b == 10 {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            records.append(record)
            record = []
        } else {
            field.append(b)
        }
        i += 1
    }
    return records
}

/// Parsed scores and labels with the columns the tests need.
struct Parsed {
    var header: [String]
    var rows: [[String]]
    var labels: [(id: String, label: Int, time: String)]

    init(_ output: Output) {
        let scoreRecords = parseCSV(output.scores)
        header = scoreRecords.first ?? []
        rows = Array(scoreRecords.dropFirst())
        labels = parseCSV(output.labels).dropFirst().map { ($0[0], Int($0[1])!, $0[2]) }
    }

    func column(_ name: String) -> Int { header.firstIndex(of: name)! }

    /// Rows whose prediction_time is before / at-or-after `ms`.
    func split(at ms: Int64) -> (before: [[String]], after: [[String]]) {
        let cut = formatTimestamp(ms)
        return (rows.filter { $0[1] < cut }, rows.filter { $0[1] >= cut })
    }

    /// (score, label) of the labelled rows among `rows`.
    func labelled(_ rows: [[String]]) -> [(score: Double, label: Int)] {
        var byID: [String: Int] = [:]
        for label in labels { byID[label.id] = label.label }
        return rows.compactMap { row in byID[row[0]].map { (Double(row[3])!, $0) } }
    }
}

/// Mann–Whitney AUC with ties counted as one half.
func auc(_ pairs: [(score: Double, label: Int)]) -> Double {
    let sorted = pairs.sorted { $0.score < $1.score }
    var rankSumPositives = 0.0
    var positives = 0.0
    var i = 0
    while i < sorted.count {
        var j = i
        while j < sorted.count && sorted[j].score == sorted[i].score { j += 1 }
        let averageRank = Double(i + 1 + j) / 2
        for k in i..<j where sorted[k].label == 1 {
            rankSumPositives += averageRank
            positives += 1
        }
        i = j
    }
    let negatives = Double(sorted.count) - positives
    return (rankSumPositives - positives * (positives + 1) / 2) / (positives * negatives)
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

/// RFC 3339 with milliseconds, independent of the generator's formatter (civil-from-days).
func formatTimestamp(_ ms: Int64) -> String {
    let days = ms / dayMs
    let rem = ms % dayMs
    var z = days + 719_468
    let era = z / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    z = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func pad(_ v: Int64, _ w: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return "\(pad(z, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / hourMs, 2)):\(pad(rem / 60_000 % 60, 2)):"
        + "\(pad(rem / 1000 % 60, 2)).\(pad(rem % 1000, 3))Z"
}

/// Epoch milliseconds of `YYYY-MM-DDTHH:MM:SS.mmmZ` (days-from-civil).
func parseTimestamp(_ iso: String) -> Int64 {
    let c = Array(iso.utf8).map { Int64($0) - 48 }
    func number(_ range: Range<Int>) -> Int64 { range.reduce(0) { $0 * 10 + c[$1] } }
    let month = number(5..<7)
    let day = number(8..<10)
    let year = number(0..<4) - (month <= 2 ? 1 : 0)
    let era = year / 400
    let yoe = year - era * 400
    let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146_097 + doe - 719_468
    return days * dayMs + number(11..<13) * hourMs + number(14..<16) * 60_000 + number(17..<19) * 1000
        + number(20..<23)
}
