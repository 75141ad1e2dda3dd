import CCurl

/// Owns one libcurl easy handle; cleanup runs exactly once.
struct CurlEasy: ~Copyable {
    let raw: UnsafeMutableRawPointer

    init() throws(TransportError) {
        guard let handle = curl_easy_init() else {
            throw TransportError(kind: .other, message: "curl_easy_init failed")
        }
        raw = handle
    }

    deinit { curl_easy_cleanup(raw) }

    func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(ccurl_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, int64 value: Int64) throws(TransportError) {
        try check(ccurl_setopt_off_t(raw, option, curl_off_t(value)), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(TransportError) {
        // libcurl copies string options (since 7.17), so the temporary C string may die afterwards.
        let rc = value.withCString { ccurl_setopt_string(raw, option, $0) }
        try check(rc, option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(TransportError) {
        try check(ccurl_setopt_pointer(raw, option, pointer), option)
    }

    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) throws(TransportError) {
        try check(ccurl_setopt_slist(raw, option, list), option)
    }

    func responseCode() -> Int {
        var code = 0
        _ = ccurl_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func check(_ rc: CURLcode, _ option: CURLoption) throws(TransportError) {
        guard rc == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(rc))
            throw TransportError(
                kind: .invalidRequest, message: "setting curl option \(option.rawValue) failed: \(text)",
                code: Int(rc.rawValue))
        }
    }
}
