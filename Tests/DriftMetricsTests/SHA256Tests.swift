import DriftMetrics
import Testing

/// SHA-256 against FIPS 180-4 example vectors and `hashlib` (`Fixtures/generate_golden.py`).
@Suite("SHA-256")
struct SHA256Tests {
    /// The published FIPS 180-4 / NIST example digests.
    @Test("known vectors: empty, \"abc\", the 448-bit message")
    func knownVectors() {
        #expect(SHA256.hexDigest("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        #expect(SHA256.digest("abc".utf8).count == 32)
    }

    /// Padding boundaries (55, 56, 63, 64, 65 bytes), a long input and non-ASCII UTF-8, against hashlib.
    @Test("matches hashlib", arguments: Golden.shared.sha256)
    func matchesHashlib(_ c: HashCase) {
        #expect(SHA256.hexDigest(c.input.utf8) == c.hex, "input of \(c.input.utf8.count) bytes")
    }
}
