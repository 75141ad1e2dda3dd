import Foundation

/// Removes every form of a credential from text that may reach a log, the summary, the dead-letter file or the
/// spool: the token or password itself, `user:password`, its base64 (padded, unpadded and URL-safe), the whole
/// `Authorization` header value (`Basic …`, `Token …`, `Bearer …`), and the user-info of the URL as it was
/// written (percent-encoded). A gateway that echoes the request headers in its error page therefore leaks nothing.
public struct SecretRedactor: Sendable {
    public static let placeholder = "<redacted>"
    /// Longest first, so a header value is replaced whole before the secret inside it.
    let forms: [String]

    public init(credentials: InfluxCredentials, api: InfluxAPI, rawURLUserInfo: String? = nil) {
        var forms: [String] = []
        if let header = credentials.authorizationHeader(for: api) { forms.append(header) }
        switch credentials {
        case .none: break
        case .token(let token):
            forms += [token, "Token \(token)", "Bearer \(token)"]
        case .userPassword(let user, let password):
            let pair = "\(user):\(password)"
            let encoded = Data(pair.utf8).base64EncodedString()
            var unpadded = Substring(encoded)
            while unpadded.hasSuffix("=") { unpadded = unpadded.dropLast() }
            let urlSafe = String(unpadded).replacing("+", with: "-").replacing("/", with: "_")
            forms += [password, pair, "Token \(pair)", encoded, "Basic \(encoded)", String(unpadded), urlSafe]
        }
        if let rawURLUserInfo {
            forms.append(rawURLUserInfo)
            if let colon = rawURLUserInfo.firstIndex(of: ":") { forms.append(String(rawURLUserInfo[rawURLUserInfo.index(after: colon)...])) }
        }
        self.forms = Array(Set(forms.filter { !$0.isEmpty })).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `text` with every form of the secret replaced by `<redacted>`.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in forms where result.contains(secret) {
            result = result.replacing(secret, with: Self.placeholder)
        }
        return result
    }
}
