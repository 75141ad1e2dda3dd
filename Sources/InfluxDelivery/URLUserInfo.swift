/// The user-info part of a URL (`http://user:password@host:8086`), which modelwatch never prints.
///
/// Credentials in the URL are discouraged (they end up in shell history, process listings, unit files and
/// crash reports), but accepted: `InfluxTarget` moves them into the `Authorization` header, like
/// `INFLUX_USER`/`INFLUX_PASSWORD`, unless credentials are configured otherwise (then those win), and the
/// writer warns once per run. The URL it sends and prints has no user-info.
public enum URLUserInfo {
    /// `url` without its user-info, and the user-info as written (still percent-encoded), if any.
    public static func split(_ url: String) -> (url: String, userInfo: String?) {
        guard let schemeEnd = url.firstRange(of: "://") else { return (url, nil) }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return (url, nil) }
        let userInfo = String(authority[..<at])
        let scheme = String(url[..<schemeEnd.upperBound])
        let host = String(authority[authority.index(after: at)...])
        let rest = String(afterScheme[authorityEnd...])
        return (scheme + host + rest, userInfo)
    }

    /// `url` as it may be shown: the user-info replaced by `<redacted>@`.
    public static func redacted(_ url: String) -> String {
        let (clean, userInfo) = split(url)
        guard userInfo != nil, let schemeEnd = clean.firstRange(of: "://") else { return clean }
        return String(clean[..<schemeEnd.upperBound]) + "\(SecretRedactor.placeholder)@" + String(clean[schemeEnd.upperBound...])
    }

    /// User and password of `userInfo`, percent-decoded (`user:pa%40ss` → `("user", "pa@ss")`).
    static func credentials(_ userInfo: String) -> (user: String, password: String) {
        let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return (percentDecoded(parts[0]), parts.count > 1 ? percentDecoded(parts[1]) : "")
    }

    static func percentDecoded(_ text: Substring) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
