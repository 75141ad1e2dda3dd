#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTransport

/// Extracts the human-readable error from an InfluxDB answer, and the lines it names as rejected.
///
/// Shapes understood: 1.x `X-Influxdb-Error` header and `{"error": "..."}`, 2.x `{"code","message"}`,
/// 3.x `{"error": "...", "data": [{"original_line": "...", ...}]}`; an HTML page (a proxy or another web server) by
/// its title; anything else is shown as text.
enum ServerMessage {
    static let maxLength = 1000

    private struct Body: Decodable {
        var error: String?
        var message: String?
        var code: String?
        var data: [Rejected]?
    }

    private struct Rejected: Decodable {
        var original_line: String?
    }

    /// The text of the first `<title>` element, whitespace collapsed, if any.
    static func pageTitle(_ html: String) -> String? {
        let bytes = Array(html.utf8)
        let lowered = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        guard let open = lowered.firstRange(of: Array("<title".utf8)),
            let start = lowered[open.upperBound...].firstIndex(of: UInt8(ascii: ">")),
            let close = lowered[(start + 1)...].firstRange(of: Array("</title>".utf8))
        else { return nil }
        let title = String(decoding: bytes[(start + 1)..<close.lowerBound], as: UTF8.self)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return title.isEmpty ? nil : title
    }

    static func text(of response: HTTPResponse) -> String {
        var text: String
        if let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)),
            let message = body.error ?? body.message
        {
            text = message
            if let code = body.code, body.message != nil { text = "\(code): \(message)" }
        } else if let header = response.headers["x-influxdb-error"], !header.isEmpty {
            text = header
        } else if WriteFate.isWebPage(response) {
            // A proxy's or web server's page: its title says more than its markup.
            text = pageTitle(response.bodyText).map { "an HTML page titled \"\($0)\"" } ?? "an HTML page"
        } else {
            text = response.bodyText
        }
        text = text.trimmingSpaces()
        if text.isEmpty { text = "(empty body)" }
        if text.count > maxLength { text = String(text.prefix(maxLength)) + "…" }
        if let incomplete = response.incomplete {
            text += " (the rest of the answer was unreadable: \(incomplete))"
        }
        return "HTTP \(response.status): \(text)"
    }

    /// The lines of `batch` that the server names as rejected, or nil if it names none we can match
    /// (then the whole batch is treated as rejected).
    static func rejectedLines(in response: HTTPResponse, batch: LineBatch) -> LineBatch? {
        var named: [String] = []
        if let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)) {
            named += (body.data ?? []).compactMap(\.original_line)
            if let error = body.error { named += unableToParse(error) }
        }
        if let header = response.headers["x-influxdb-error"] { named += unableToParse(header) }
        guard !named.isEmpty else { return nil }
        let wanted = Set(named)
        let matches = batch.lines.filter { wanted.contains(String(decoding: $0, as: UTF8.self)) }
        guard !matches.isEmpty else { return nil }
        return LineBatch.joined(matches)
    }

    /// 1.x names each bad line as `unable to parse '<line>': <reason>`, one per line of the message.
    static func unableToParse(_ text: String) -> [String] {
        let marker = "unable to parse '"
        var result: [String] = []
        for part in text.split(separator: "\n") {
            guard let start = part.firstRange(of: marker)?.upperBound else { continue }
            let rest = part[start...]
            guard let end = rest.ranges(of: "': ").last?.lowerBound else { continue }
            result.append(String(rest[..<end]))
        }
        return result
    }
}
