@testable import DriftMetrics
import Foundation
import Testing

/// `ReferenceProfile.decode` verifies files written by `encoded()` by hashing their bytes (whitespace removed,
/// fingerprint blanked) instead of re-encoding the profile; the hash must equal the canonical fingerprint.
@Suite("Profile fingerprint fast path")
struct ProfileFingerprintFastPathTests {
    static func profile(model: String = "churn-v2", source: String = "reference.csv", feature: String = "amount") -> ReferenceProfile {
        ReferenceProfile.make(
            model: model, source: source, rowCount: 10,
            features: [
                feature: .numeric(.build(presentValues: [1, 2.5, 3, 0.1, -7], missingCount: 2)),
                "colour": .categorical(.build(counts: ["fingerprint": 3, "a \"b\" \\ c": 2, "blüe ✓": 1], missingCount: 1)),
            ],
            score: .build(presentValues: [0.1, 0.2, 0.9], missingCount: 0))
    }

    static let awkward: [ReferenceProfile] = [
        profile(),
        profile(model: #"m "fingerprint":"x" \"#, source: "line\nbreak\t{\"fingerprint\":\"\"} [1, 2]"),
        profile(feature: "fingerprint"),
        profile(source: String(repeating: " ", count: 40) + "\\\\\""),
    ]

    @Test("pretty-printed and compact files hash to the canonical fingerprint", arguments: awkward.indices)
    func fastPathMatches(_ index: Int) throws {
        let profile = Self.awkward[index]
        #expect(profile.computeFingerprint() == profile.fingerprint)
        #expect(ReferenceProfile.canonicalHash(of: profile.encoded(), fingerprint: profile.fingerprint) == profile.fingerprint)
        let compactEncoder = JSONEncoder()
        compactEncoder.outputFormatting = [.sortedKeys]
        let compact = try compactEncoder.encode(profile)
        #expect(ReferenceProfile.canonicalHash(of: compact, fingerprint: profile.fingerprint) == profile.fingerprint)
        #expect(try ReferenceProfile.decode(profile.encoded()) == profile)
    }

    @Test("an edit changes the hash; the authoritative check then reports the mismatch")
    func editedFileMisses() throws {
        let profile = Self.profile()
        let text = String(decoding: profile.encoded(), as: UTF8.self).replacingOccurrences(of: "\"rowCount\" : 10", with: "\"rowCount\" : 11")
        #expect(text != String(decoding: profile.encoded(), as: UTF8.self))
        let data = Data(text.utf8)
        #expect(ReferenceProfile.canonicalHash(of: data, fingerprint: profile.fingerprint) != profile.fingerprint)
        #expect(throws: ProfileError.self) { try ReferenceProfile.decode(data) }
    }

    @Test("a missing or repeated fingerprint member gives no hash")
    func memberNotFoundOnce() {
        #expect(ReferenceProfile.canonicalHash(of: Data(#"{"a":1}"#.utf8), fingerprint: "ab") == nil)
        #expect(ReferenceProfile.canonicalHash(of: Data(#"{"fingerprint":"ab","x":{"fingerprint":"ab"}}"#.utf8), fingerprint: "ab") == nil)
    }
}
