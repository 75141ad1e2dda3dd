// Shortest round-trip float formatting (ShortestFloat, as the line-protocol encoder writes fields) against the
// standard library's description (also shortest round-trip), on one thread. Compiled with Sources/LineProtocol by
// Tests/Benchmarks/pieces.sh (swiftc -O, one module).
import Foundation

let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
var state = 0x9E37_79B9_7F4A_7C15 as UInt64
let values: [Double] = (0..<count).map { index in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let unit = Double(state >> 11) / Double(1 << 53)
    return index % 3 == 0 ? unit : (index % 3 == 1 ? unit * 1000 - 300 : unit * 1e-6)
}
func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
func best(_ body: () -> Void) -> Double { (0..<3).map { _ in seconds(body) }.min()! }
let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
var bytes = 0
let hand = best { for value in values { bytes += ShortestFloat.write(value, to: buffer) } }
var out: [UInt8] = []
out.reserveCapacity(64)
let library = best {
    for value in values {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: value.description.utf8)
        bytes += out.count
    }
}
print(String(format: "float formatting: %d values; hand-written %.1fM/s, Double.description %.1fM/s, ratio %.1f×",
             count, Double(count) / hand / 1e6, Double(count) / library / 1e6, library / hand))
if bytes == 42 { print("") }
