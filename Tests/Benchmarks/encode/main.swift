// Line-protocol encoding speed: compiled together with Sources/LineProtocol by Tests/Benchmarks/run.sh
// (swiftc -O, one module), so it needs no change to Package.swift. Encodes 1M points shaped like the job's
// output: in the proportions of a benchmark run's points (numeric feature 3/10, feature category 4/10, calibration
// bin, threshold and top-k 1/10 each; about 290 bytes a line like the job's output) and prints lines/s, on one thread
// and then concurrently (`encode(_:chunks:)`, whose output must be the same bytes).
import Foundation

func makePoints(_ count: Int) -> [Point] {
    var points: [Point] = []
    points.reserveCapacity(count)
    var x = 0.123456789
    for i in 0..<count {
        let tags: [(key: String, value: String)] = [
            ("model", "fraud"), ("version", "v7"), ("segment", "region"), ("segment_value", "eu west"),
        ]
        let ts = 1_793_577_600_000 + Int64(i / 50) * 3_600_000
        x = (x * 3.9 * (1 - x)) // chaotic, full-precision doubles
        switch i % 10 {
        case 0, 1, 2:
            var p = Point(measurement: "modelwatch_feature", tags: tags + [("feature", "f_num_\(i % 20)"), ("kind", "numeric")], timestampMs: ts)
            p.add("count", 100_000 + i % 977)
            p.add("missing_rate", x / 50)
            for name in ["null_count", "empty_count", "nan_count", "inf_count", "invalid_count"] { p.add(name, i % 13) }
            for name in ["mean", "std", "min", "max", "p01", "p05", "p25", "p50", "p75", "p95", "p99", "zero_rate", "psi", "js", "ks"] {
                p.add(name, x * 100 - 3)
            }
            p.add("profile_fingerprint", .string("4dc4eb3e9758da75"))
            points.append(p)
        case 3, 4, 5, 6:
            var p = Point(measurement: "modelwatch_feature_category", tags: tags + [("feature", "f_cat_0\(i % 5)"), ("rank", "0\(i % 10)")], timestampMs: ts)
            p.add("category", .string("merchant_\(i % 5000)"))
            p.add("share", x / 10)
            p.add("reference_share", x / 11)
            points.append(p)
        case 7:
            var p = Point(measurement: "modelwatch_topk", tags: tags + [("k_percent", "5")], timestampMs: ts)
            p.add("k", 4504)
            p.add("selected", 4737 + i % 100)
            p.add("score_cutoff", 0.68)
            p.add("precision", x)
            p.add("recall", x / 3)
            points.append(p)
        case 8:
            var p = Point(measurement: "modelwatch_threshold", tags: tags + [("threshold", "0.5")], timestampMs: ts)
            for name in ["tp", "fp", "tn", "fn"] { p.add(name, 1000 + i % 1013) }
            for name in ["precision", "recall", "f1", "fpr", "specificity", "predicted_positive_rate"] { p.add(name, x) }
            points.append(p)
        default:
            var p = Point(measurement: "modelwatch_calibration_bin", tags: tags + [("bin", "0\(i % 10)")], timestampMs: ts)
            p.add("count", i % 5000)
            p.add("lower", 0.1)
            p.add("upper", 0.2)
            p.add("mean_predicted", x)
            p.add("observed_rate", 1 - x)
            points.append(p)
        }
    }
    return points
}

/// FNV-1a of the output, so runs can be compared byte for byte.
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}

let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
let points = makePoints(count)
var best = Double.infinity
var bytes = 0
var digest: UInt64 = 0xcbf2_9ce4_8422_2325
for _ in 0..<3 {
    var encoder = LineProtocolEncoder()
    var buffer: [UInt8] = []
    buffer.reserveCapacity(count * 400)  // no reallocation inside the timed loop
    let start = DispatchTime.now().uptimeNanoseconds
    for point in points { encoder.encode(point, into: &buffer) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    best = min(best, seconds)
    bytes = buffer.count
    precondition(encoder.statistics.encodedPoints == count)
    digest = fnv1a(buffer)
}
// The same points encoded concurrently (LineProtocolEncoder.encode(_:chunks:)): four chunks per core.
let cores = ProcessInfo.processInfo.activeProcessorCount
var bestParallel = Double.infinity
for _ in 0..<3 {
    var encoder = LineProtocolEncoder()
    let start = DispatchTime.now().uptimeNanoseconds
    let buffer = encoder.encode(points, chunks: 4 * cores)
    bestParallel = min(bestParallel, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    precondition(encoder.statistics.encodedPoints == count)
    precondition(fnv1a(buffer) == digest, "concurrent output differs")
}
print("{\"lines\": \(count), \"bytes\": \(bytes), \"seconds\": \(best), \"lines_per_second\": \(Double(count) / best), \"mb_per_second\": \(Double(bytes) / best / 1e6), \"fnv1a\": \"\(String(digest, radix: 16))\", \"cores\": \(cores), \"seconds_parallel\": \(bestParallel), \"lines_per_second_parallel\": \(Double(count) / bestParallel), \"mb_per_second_parallel\": \(Double(bytes) / bestParallel / 1e6)}")
