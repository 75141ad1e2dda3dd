import Foundation

/// The frozen reference a model's windows are compared against: one profile per feature plus the score.
///
/// Stored as JSON (``encoded()`` / ``decode(_:)``), versioned by ``formatVersion``. The ``fingerprint`` is
/// the lowercase hex SHA-256 of the canonical encoding: `JSONEncoder` with `.sortedKeys`, no pretty
/// printing, with the fingerprint field set to the empty string. It identifies the profile's content
/// (`profile_fingerprint` in the schema; ``shortFingerprint`` is the 16-character display form).
public struct ReferenceProfile: Sendable, Hashable, Codable {
    /// The format version this build writes and reads.
    public static let currentFormatVersion = 1

    /// Format version of the profile (always ``currentFormatVersion`` once decoded).
    public let formatVersion: Int
    /// Model name.
    public let model: String
    /// Free-text description of the reference data (file, query, period).
    public let source: String
    /// Rows in the reference data.
    public let rowCount: Int
    /// Profiles by feature column name.
    public let features: [String: FeatureProfile]
    /// Profile of the model's score.
    public let score: NumericFeatureProfile
    /// Calibration and sampling-error components for performance estimation; nil when the profile was built without
    /// `models[].estimation` (older profiles never have it, and their fingerprint is unchanged: nil is not encoded).
    public let estimation: EstimationProfile?
    /// 64 lowercase hex characters: SHA-256 of the canonical encoding.
    public let fingerprint: String

    /// The first 16 hex characters of ``fingerprint``, for display and the `profile_fingerprint` field.
    public var shortFingerprint: String { String(fingerprint.prefix(16)) }

    /// Makes a profile of the current format version and computes its fingerprint.
    public static func make(
        model: String, source: String, rowCount: Int, features: [String: FeatureProfile],
        score: NumericFeatureProfile, estimation: EstimationProfile? = nil
    ) -> ReferenceProfile {
        let unsigned = ReferenceProfile(
            formatVersion: currentFormatVersion, model: model, source: source, rowCount: rowCount,
            features: features, score: score, estimation: estimation, fingerprint: ""
        )
        return unsigned.withFingerprint(unsigned.computeFingerprint())
    }

    /// The SHA-256 of this profile's canonical encoding (its ``fingerprint`` field ignored).
    public func computeFingerprint() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hexDigest(Self.encodeOrTrap(withFingerprint(""), encoder))
    }

    /// Pretty-printed JSON with sorted keys.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Self.encodeOrTrap(self, encoder)
    }

    /// Decodes and checks a profile.
    ///
    /// - Throws: ``ProfileError/unsupportedFormatVersion(found:supported:)`` when `formatVersion` is not
    ///   ``currentFormatVersion`` (whether or not the rest would decode),
    ///   ``ProfileError/invalidProfile(_:)`` when the JSON does not decode or is inconsistent (bin counts that
    ///   do not match the edges, counts that do not add up, …), and
    ///   ``ProfileError/fingerprintMismatch(stored:computed:)`` when the content does not hash to the stored
    ///   fingerprint (the file was edited by hand or truncated).
    public static func decode(_ data: Data) throws -> ReferenceProfile {
        struct VersionProbe: Decodable { let formatVersion: Int }
        let decoder = JSONDecoder()
        // The whole profile is decoded first and the version probed only when that fails: probing first read
        // the whole document twice (`JSONDecoder` scans all of it for any type), a tenth of a large profile's
        // decoding. The errors are the same either way.
        let profile: ReferenceProfile
        do {
            profile = try decoder.decode(ReferenceProfile.self, from: data)
        } catch {
            let version: Int
            do {
                version = try decoder.decode(VersionProbe.self, from: data).formatVersion
            } catch {
                throw ProfileError.invalidProfile("no integer formatVersion: \(error)")
            }
            guard version == currentFormatVersion else {
                throw ProfileError.unsupportedFormatVersion(found: version, supported: currentFormatVersion)
            }
            throw ProfileError.invalidProfile("\(error)")
        }
        guard profile.formatVersion == currentFormatVersion else {
            throw ProfileError.unsupportedFormatVersion(found: profile.formatVersion, supported: currentFormatVersion)
        }
        let problems = profile.problems()
        guard problems.isEmpty else { throw ProfileError.invalidProfile(problems.joined(separator: "; ")) }
        // Fast path: a file written by `encoded()` is the canonical encoding plus whitespace, so hashing its bytes
        // (whitespace outside strings removed, the fingerprint value blanked) verifies it without re-encoding
        // the whole profile. Anything else (edited, reformatted, truncated) takes the authoritative check below.
        if Self.canonicalHash(of: data, fingerprint: profile.fingerprint) == profile.fingerprint {
            return profile
        }
        let computed = profile.computeFingerprint()
        guard computed == profile.fingerprint else {
            throw ProfileError.fingerprintMismatch(stored: profile.fingerprint, computed: computed)
        }
        return profile
    }

    /// SHA-256 (hex) of `data` with the whitespace outside strings removed and the `"fingerprint":"<stored>"`
    /// member blanked to `"fingerprint":""`; nil unless that member occurs exactly once. The byte sequence cannot
    /// occur inside a JSON string (a quote there is always escaped) nor as another member (feature and category
    /// names map to objects and numbers), so it is the top-level member.
    static func canonicalHash(of data: Data, fingerprint: String) -> String? {
        let member = Array("\"fingerprint\":\"\(fingerprint)\"".utf8)
        let blank = Array("\"fingerprint\":\"\"".utf8)
        // Over the bytes in place, into room written by pointer (`Data`'s iterator and `append` per byte were
        // 170M instructions for a 3.4 MB profile).
        var compact = [UInt8](unsafeUninitializedCapacity: data.count) { room, written in
            var inString = false
            var escaped = false
            written = 0
            data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                for byte in bytes {
                    if inString {
                        if escaped {
                            escaped = false
                        } else if byte == UInt8(ascii: "\\") {
                            escaped = true
                        } else if byte == UInt8(ascii: "\"") {
                            inString = false
                        }
                    } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
                        continue
                    } else if byte == UInt8(ascii: "\"") {
                        inString = true
                    }
                    room[written] = byte
                    written += 1
                }
            }
        }
        var found = -1
        var index = 0
        let last = compact.count - member.count
        while index <= last {
            if compact[index] == member[0], compact[index..<(index + member.count)].elementsEqual(member) {
                if found >= 0 { return nil }
                found = index
                index += member.count
            } else {
                index += 1
            }
        }
        guard found >= 0 else { return nil }
        compact.replaceSubrange(found..<(found + member.count), with: blank)
        return SHA256.hexDigest(compact)
    }

    private func withFingerprint(_ value: String) -> ReferenceProfile {
        ReferenceProfile(
            formatVersion: formatVersion, model: model, source: source, rowCount: rowCount,
            features: features, score: score, estimation: estimation, fingerprint: value
        )
    }

    private func problems() -> [String] {
        var found = score.problems().map { "score: \($0)" }
        for (name, feature) in features.sorted(by: { utf8Less($0.key, $1.key) }) {
            found += feature.problems().map { "feature \(name): \($0)" }
        }
        if rowCount < 0 { found.append("negative rowCount") }
        found += (estimation?.problems() ?? []).map { "estimation: \($0)" }
        return found
    }

    /// Every value in a profile is a string, an integer or a finite double (builders skip non-finite values
    /// and the decoder rejects them), so encoding cannot fail; a failure is a programming error.
    private static func encodeOrTrap(_ profile: ReferenceProfile, _ encoder: JSONEncoder) -> Data {
        do {
            return try encoder.encode(profile)
        } catch {
            preconditionFailure("encoding a reference profile failed: \(error)")
        }
    }
}

/// Why a reference profile could not be loaded.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's `formatVersion` is not one this build reads.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// The JSON does not decode as a profile or is internally inconsistent.
    case invalidProfile(String)
    /// The content does not hash to the stored fingerprint.
    case fingerprintMismatch(stored: String, computed: String)

    /// A one-line explanation for logs.
    public var description: String {
        switch self {
        case let .unsupportedFormatVersion(found, supported):
            "reference profile formatVersion \(found) is not supported (this build reads version \(supported)); rebuild the profile"
        case let .invalidProfile(detail):
            "reference profile is invalid: \(detail)"
        case let .fingerprintMismatch(stored, computed):
            "reference profile fingerprint mismatch: stored \(stored), content hashes to \(computed); was the file edited?"
        }
    }
}
