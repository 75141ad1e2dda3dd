import Foundation

/// How to authenticate. Always sent as an `Authorization` header, never in the URL.
///
/// | API | `.token(t)` | `.userPassword(u, p)` |
/// |---|---|---|
/// | v1 | `Token t` | `Basic base64(u:p)` |
/// | v2 | `Token t` | `Token u:p` (1.8+ compat) |
/// | v3 | `Bearer t` | `Basic base64(u:p)` (compat: password is the token) |
///
/// `description` is redacted, so interpolating credentials into a log line cannot leak them.
public enum InfluxCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    case none
    case token(String)
    case userPassword(user: String, password: String)

    public var description: String {
        switch self {
        case .none: return "none"
        case .token: return "token(<redacted>)"
        case .userPassword(let user, _): return "userPassword(user: \(user), password: <redacted>)"
        }
    }

    public var debugDescription: String { description }

    /// The `Authorization` header value for `api`, or nil for `.none`.
    func authorizationHeader(for api: InfluxAPI) -> String? {
        switch (self, api) {
        case (.none, _):
            return nil
        case (.token(let token), .v3):
            return "Bearer \(token)"
        case (.token(let token), _):
            return "Token \(token)"
        case (.userPassword(let user, let password), .v2):
            return "Token \(user):\(password)"
        case (.userPassword(let user, let password), _):
            return "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"
        }
    }
}
