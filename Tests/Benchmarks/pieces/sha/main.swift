// SHA-256 of a reference profile's canonical JSON, as `modelwatch profile` and every run that loads a profile
// compute it (Sources/DriftMetrics/SHA256.swift, swiftc -O by Tests/Benchmarks/pieces.sh). Foundation on Linux has
// no SHA-256 (CryptoKit is Apple-only; swift-crypto would be a new dependency); the comparator is coreutils'
// sha256sum on the same bytes, for scale.
import Foundation

let megabytes = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8
var state = 0x9E37_79B9_7F4A_7C15 as UInt64
let bytes: [UInt8] = (0..<(megabytes << 20)).map { _ in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return UInt8(truncatingIfNeeded: state >> 33) & 0x3F | 0x20  // printable, like JSON
}
let start = DispatchTime.now().uptimeNanoseconds
let digest = SHA256.hexDigest(bytes)
let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
let path = NSTemporaryDirectory() + "modelwatch-sha-bench"
FileManager.default.createFile(atPath: path, contents: Data(bytes))
print(String(format: "SHA-256: %d MiB in %.3f s (%.0f MB/s); digest %@ (compare: sha256sum %@)", megabytes, elapsed,
             Double(bytes.count) / elapsed / 1e6, String(digest.prefix(16)), path))
