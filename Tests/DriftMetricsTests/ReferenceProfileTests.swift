import DriftMetrics
import Foundation
import Testing
import TestSupport

/// Profile building, JSON round trips, fingerprints and version checks (no external golden values: the
/// expectations follow from the documented conventions).
@Suite("Reference profiles")
struct ReferenceProfileTests {
    static func sampleProfile(rowCount: Int = 120, extraCategory: Bool = false) -> ReferenceProfile {
        var rng = SplitMix64(seed: 99)
        let wide = (0..<20_000).map { _ in rng.nextDouble() * 1e6 - 5e5 }
        var categories = ["red": 50, "green": 40, "blüe ✓": 20, "": 0]
        if extraCategory { categories["violet"] = 1 }
        return ReferenceProfile.make(
            model: "churn-v2", source: "s3://bucket/reference.csv (2026-10)", rowCount: rowCount,
            features: [
                "amount": .numeric(.build(presentValues: [1e-300, 0x1p-1030, -1e300, 0, 17.125, 0.1, 0.1], missingCount: 3)),
                "wide": .numeric(.build(presentValues: wide, missingCount: 0)),
                "empty": .numeric(.build(presentValues: [], missingCount: 120)),
                "colour": .categorical(.build(counts: categories, missingCount: 10)),
            ],
            score: .build(presentValues: (0..<120).map { Double($0) / 119 }, missingCount: 0)
        )
    }

    @Test("encode → decode gives an equal profile with the identical fingerprint")
    func roundTrip() throws {
        let profile = Self.sampleProfile()
        let decoded = try ReferenceProfile.decode(profile.encoded())
        #expect(decoded == profile)
        #expect(decoded.fingerprint == profile.fingerprint)
        #expect(decoded.computeFingerprint() == profile.fingerprint)
        #expect(try ReferenceProfile.decode(decoded.encoded()).encoded() == profile.encoded())
    }

    @Test("the fingerprint is 64 lowercase hex characters, displayed as 16")
    func fingerprintShape() {
        let profile = Self.sampleProfile()
        #expect(profile.fingerprint.count == 64)
        #expect(profile.fingerprint.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(profile.shortFingerprint == String(profile.fingerprint.prefix(16)))
        #expect(Self.sampleProfile().fingerprint == profile.fingerprint, "deterministic")
    }

    @Test("any content change changes the fingerprint")
    func fingerprintChanges() {
        let base = Self.sampleProfile().fingerprint
        #expect(Self.sampleProfile(rowCount: 121).fingerprint != base)
        #expect(Self.sampleProfile(extraCategory: true).fingerprint != base)
    }

    @Test("feature profiles carry a kind discriminator; the CDF form is recorded")
    func encodingShape() throws {
        let profile = Self.sampleProfile()
        let json = try #require(String(data: profile.encoded(), encoding: .utf8))
        #expect(json.contains(#""kind" : "numeric""#))
        #expect(json.contains(#""kind" : "categorical""#))
        #expect(json.contains(#""kind" : "quantiles""#), "20 000 distinct values use the quantile form")
        #expect(json.contains(#""formatVersion" : 1"#))
        guard case let .numeric(wide)? = profile.features["wide"], case let .quantiles(q) = wide.cdf else {
            Issue.record("wide feature should use the quantile form")
            return
        }
        #expect(q.count == 10_001)
    }

    @Test("an unknown formatVersion is rejected with a clear error, whether the rest would decode, not decode or be inconsistent",
          arguments: ["decodes", "missing score", "score not an object", "inconsistent bins"])
    func unknownVersion(rest: String) throws {
        let data = try Self.editJSON(Self.sampleProfile().encoded()) { root in
            root["formatVersion"] = 2
            switch rest {
            case "missing score": root["score"] = nil
            case "score not an object": root["score"] = "a later format"
            case "inconsistent bins":
                var score = root["score"] as? [String: Any] ?? [:]
                score["binCounts"] = [1, 2]
                root["score"] = score
            default: break
            }
        }
        #expect(throws: ProfileError.unsupportedFormatVersion(found: 2, supported: 1)) {
            try ReferenceProfile.decode(data)
        }
        #expect(ProfileError.unsupportedFormatVersion(found: 2, supported: 1).description.contains("formatVersion 2"))
    }

    @Test("a profile without an integer formatVersion is invalid and says so", arguments: ["missing", "a string", "a fraction"])
    func noVersion(kind: String) throws {
        let data = try Self.editJSON(Self.sampleProfile().encoded()) { root in
            root["formatVersion"] = kind == "missing" ? nil : kind == "a string" ? "1" : 1.5
        }
        let error = #expect(throws: ProfileError.self) { try ReferenceProfile.decode(data) }
        guard case let .invalidProfile(message)? = error else {
            Issue.record("expected an invalid profile, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("no integer formatVersion"), "\(message)")
    }

    @Test("a hand-edited profile fails the fingerprint check")
    func tampered() throws {
        let profile = Self.sampleProfile()
        let data = try Self.editJSON(profile.encoded()) { $0["rowCount"] = 999 }
        let error = #expect(throws: ProfileError.self) { try ReferenceProfile.decode(data) }
        guard case let .fingerprintMismatch(stored, computed)? = error else {
            Issue.record("expected a fingerprint mismatch, got \(String(describing: error))")
            return
        }
        #expect(stored == profile.fingerprint && computed != stored)
    }

    @Test("inconsistent or malformed profiles are rejected as invalid")
    func invalid() throws {
        let data = try Self.editJSON(Self.sampleProfile().encoded()) { root in
            var score = root["score"] as? [String: Any] ?? [:]
            score["binCounts"] = [1, 2]
            root["score"] = score
        }
        let error = #expect(throws: ProfileError.self) { try ReferenceProfile.decode(data) }
        guard case let .invalidProfile(detail)? = error else {
            Issue.record("expected invalidProfile, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("binCounts"))
        let empty = #expect(throws: ProfileError.self) { try ReferenceProfile.decode(Data("{}".utf8)) }
        if case .invalidProfile? = empty {} else { Issue.record("{} should be invalid, got \(String(describing: empty))") }
        let unknownKind = try Self.editJSON(Self.sampleProfile().encoded()) { root in
            var features = root["features"] as? [String: Any] ?? [:]
            var colour = features["colour"] as? [String: Any] ?? [:]
            colour["kind"] = "ordinal"
            features["colour"] = colour
            root["features"] = features
        }
        #expect(throws: ProfileError.self) { try ReferenceProfile.decode(unknownKind) }
    }

    @Test("the exact KS form is used up to 10 000 distinct values")
    func exactLimit() {
        let exact = NumericFeatureProfile.build(presentValues: (0..<10_000).map(Double.init), missingCount: 0)
        let quantiles = NumericFeatureProfile.build(presentValues: (0...10_000).map(Double.init), missingCount: 0)
        if case .exact(let values, let counts) = exact.cdf {
            #expect(values.count == 10_000 && counts.last == 10_000)
        } else {
            Issue.record("10 000 distinct values should be stored exactly")
        }
        if case .quantiles = quantiles.cdf {} else { Issue.record("10 001 distinct values should use quantiles") }
    }

    static func editJSON(_ data: Data, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&root)
        return try JSONSerialization.data(withJSONObject: root)
    }
}
