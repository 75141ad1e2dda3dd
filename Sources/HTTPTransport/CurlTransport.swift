import CCurl

/// `HTTPTransport` over the libcurl easy API: one easy handle per request, blocking.
///
/// Sets `CURLOPT_NOSIGNAL`, sends an empty `Expect:` header (no `100-continue` round trip on large
/// POSTs), never follows redirects, captures response headers (for `Retry-After`) and never uses
/// `CURLOPT_FAILONERROR`, so 4xx bodies reach the caller. Error messages come from libcurl's error
/// buffer and never contain request headers. When libcurl refuses an answer after its status line (curl error 8,
/// e.g. a NUL byte in a header), the response is still returned with that status and `incomplete` set.
public final class CurlTransport: HTTPTransport {
    /// Creates a transport; runs `Curl.globalInit()` if `main` has not.
    public init() {
        Curl.globalInit()
    }

    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let easy = try CurlEasy()
        let sink = ResponseSink()
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        // ERRORBUFFER must stay valid for the whole transfer: a manually managed buffer.
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        headerList = curl_slist_append(headerList, "Expect:")

        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.totalTimeout))
        try easy.set(CURLOPT_HTTPHEADER, list: headerList)
        try easy.set(CURLOPT_WRITEDATA, pointer: sinkPointer)
        try easy.set(CURLOPT_HEADERDATA, pointer: sinkPointer)
        try Self.checkSetup(ccurl_setopt_write_function(easy.raw, bodyCallback))
        try Self.checkSetup(ccurl_setopt_header_function(easy.raw, headerCallback))
        try configureTLS(easy, request.tls)

        try easy.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        let code: CURLcode
        switch request.method {
        case .get:
            try easy.set(CURLOPT_HTTPGET, 1)
            code = curl_easy_perform(easy.raw)
        case .post:
            try easy.set(CURLOPT_POST, 1)
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, int64: Int64(request.body.count))
            if request.body.isEmpty {
                try easy.set(CURLOPT_POSTFIELDS, "")
                code = curl_easy_perform(easy.raw)
            } else {
                // POSTFIELDS does not copy: perform while the buffer is pinned.
                let result: Result<CURLcode, TransportError> = request.body.withUnsafeBytes { bytes in
                    let rc = ccurl_setopt_pointer(easy.raw, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                    guard rc == CURLE_OK else {
                        return .failure(TransportError(kind: .invalidRequest, message: "cannot set the request body", code: Int(rc.rawValue)))
                    }
                    return .success(curl_easy_perform(easy.raw))
                }
                code = try result.get()
            }
        }

        guard code == CURLE_OK else {
            let bufferText = String(cString: errorBuffer)
            let message = bufferText.isEmpty ? String(cString: curl_easy_strerror(code)) : bufferText
            if code == CURLE_WEIRD_SERVER_REPLY, let status = sink.status {
                // The status line arrived, then libcurl refused a header ("Nul byte in header"): the answer is the
                // server's, so it is classified by its status rather than retried as if nothing had come back.
                return HTTPResponse(status: status, headers: sink.headers, body: sink.body, incomplete: message, setCookies: sink.setCookies)
            }
            throw TransportError(kind: CurlErrorMapping.kind(of: code), message: message, code: Int(code.rawValue))
        }
        return HTTPResponse(status: easy.responseCode(), headers: sink.headers, body: sink.body, setCookies: sink.setCookies)
    }

    private func configureTLS(_ easy: borrowing CurlEasy, _ tls: TLSOptions) throws(TransportError) {
        if let path = tls.caBundlePath { try easy.set(CURLOPT_CAINFO, path) }
        if let path = tls.clientCertPath { try easy.set(CURLOPT_SSLCERT, path) }
        if let path = tls.clientKeyPath { try easy.set(CURLOPT_SSLKEY, path) }
        if tls.insecureSkipVerify {
            try easy.set(CURLOPT_SSL_VERIFYPEER, 0)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        }
    }

    private static func checkSetup(_ rc: CURLcode) throws(TransportError) {
        guard rc == CURLE_OK else {
            throw TransportError(
                kind: .invalidRequest, message: String(cString: curl_easy_strerror(rc)), code: Int(rc.rawValue))
        }
    }

    /// Whole milliseconds, at least 1 (0 would mean "no timeout" to libcurl).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(max(1, ms))
    }
}

/// Accumulates one response; reached from the C callbacks through `userdata`.
final class ResponseSink {
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    /// Every `Set-Cookie` value of the last answer (``headers`` keeps one value per name).
    var setCookies: [String] = []
    /// The code of the last status line seen (`HTTP/1.1 400 Bad Request` → 400).
    var status: Int?

    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewline()
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new status line (e.g. after 100 Continue): start over
            setCookies = []
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count >= 2 ? Int(parts[1]) : nil
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        headers[name] = String(value)
        if name == "set-cookie" { setCookies.append(String(value)) }
    }
}

extension String {
    fileprivate func trimmingTrailingNewline() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\r" || last == "\n" || last == "\r\n" { s = s.dropLast() }
        return String(s)
    }
}

private let bodyCallback: ccurl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    sink.body.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: size * count))
    return size * count
}

private let headerCallback: ccurl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    sink.headerLine(UnsafeRawBufferPointer(start: pointer, count: size * count))
    return size * count
}
