import HTTPTransport

/// What happens to a batch after one write attempt. This table is the contract (copy it to docs/):
///
/// | Answer | Fate | Retried? | Where the lines go | Run outcome (exit) |
/// |---|---|---|---|---|
/// | 2xx | `delivered` | – | server | delivered (0) |
/// | 2xx with an HTML body | `configuration` | no — no InfluxDB-compatible write endpoint answers with a page, so the points were not stored (a login page or another web server at the URL) | spool (the batch and every later one) | configurationError (78): fix `influx.url` |
/// | 400, 422, other 4xx not below | `rejected` | no — InfluxDB 1.x/3.x already stored the valid lines of a partially bad batch, so resending is pointless | dead-letter file (server message as `#` comment + the rejected lines; only the lines the server names when it names them, else the whole batch) | dataRejected (65) |
/// | 401, 403 | `configuration` | no | spool (the batch and every later one) | configurationError (78): check the token/password and its write permission |
/// | 404 | `configuration` | no | spool (the batch and every later one) | configurationError (78): create the database/bucket or fix the URL |
/// | 3xx | `configuration` | no — redirects are not followed (the points and the token would go to another address) | spool (the batch and every later one) | configurationError (78): set `influx.url` to the address in `Location` (often `https://`) |
/// | 413 | `tooLarge` | split in half, each half resent (recursively) | halves follow this table; a single line still 413 goes to the dead-letter file | per halves |
/// | 429, 503 | `retry(after:)` | yes: waits `Retry-After` (seconds or HTTP date, capped by `retryAfterCap`), else backoff | spool when attempts or budget run out (and every later batch) | temporaryFailure (75) |
/// | 408, 500, 502, 504 and other 5xx | `retry` | yes: exponential backoff, full jitter | as above | temporaryFailure (75) |
/// | refused, timed out, reset, DNS failure | `retry` | yes, as above | as above | temporaryFailure (75) |
/// | TLS failure, malformed URL | `configuration` | no | spool | configurationError (78) |
/// | a status line, then a header libcurl refuses (NUL byte, curl error 8) | by the status (`HTTPResponse.incomplete` is set) | as the status says | as the status says | as the status says |
enum WriteFate: Equatable {
    case delivered
    case rejected
    case configuration
    case tooLarge
    case retry(honourRetryAfter: Bool)

    /// The fate of an answer: by status, except that a 2xx carrying an HTML page is not a write acknowledgement.
    static func classify(_ response: HTTPResponse) -> WriteFate {
        if (200..<300).contains(response.status), isWebPage(response) { return .configuration }
        return classify(status: response.status)
    }

    /// Whether the answer is an HTML page (by its content type), which InfluxDB's write APIs never send.
    static func isWebPage(_ response: HTTPResponse) -> Bool {
        response.headers["content-type"]?.lowercased().hasPrefix("text/html") == true
    }

    static func classify(status: Int) -> WriteFate {
        switch status {
        case 200..<300: return .delivered
        case 401, 403, 404, 300..<400: return .configuration
        case 413: return .tooLarge
        case 429, 503: return .retry(honourRetryAfter: true)
        case 408: return .retry(honourRetryAfter: false)
        case 400..<500: return .rejected
        default: return .retry(honourRetryAfter: false)  // 5xx, 1xx (unexpected: treat as transient)
        }
    }

    static func classify(_ error: TransportError) -> WriteFate {
        switch error.kind {
        case .connectionRefused, .timedOut, .connectionReset, .nameResolution, .other: return .retry(honourRetryAfter: false)
        case .tls, .invalidRequest: return .configuration
        }
    }

    /// What an operator should fix after a configuration answer; `location` is the redirect target of a 3xx.
    static func configurationAdvice(status: Int, api: InfluxAPI, location: String? = nil) -> String {
        switch status {
        case 200..<300:
            return "the server answered HTTP \(status) with an HTML page, which no InfluxDB write API does (a login page, "
                + "or another web server at influx.url?): the points were not stored; fix influx.url"
        case 401: return "authentication failed (HTTP 401): check the token or user/password in the configuration"
        case 403: return "permission denied (HTTP 403): the credentials lack write permission on \(api.containerDescription)"
        case 404: return "not found (HTTP 404): create \(api.containerDescription) or fix the base URL/API version"
        case 300..<400:
            let target = location.map { " to \($0)" } ?? ""
            return "the server redirects (HTTP \(status))\(target), and modelwatch does not follow redirects (the points "
                + "and credentials would go to another address): set influx.url to the server's real address (often https://)"
        default: return "HTTP \(status)"
        }
    }
}
