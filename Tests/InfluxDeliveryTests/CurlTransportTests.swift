import Foundation
import HTTPTransport
import Testing
import TestSupport

@Suite("CurlTransport against loopback sockets", .serialized)
struct CurlTransportTests {
    let transport = CurlTransport()

    @Test("a refused port maps to connectionRefused with curl's message")
    func refused() throws {
        let port = try FreePort.find()
        let request = HTTPRequest(url: "http://127.0.0.1:\(port)/write", method: .post, headers: [("Authorization", "Token hide-me")], body: [1])
        #expect {
            _ = try transport.send(request)
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.kind == .connectionRefused && error.message.contains("\(port)") && !error.description.contains("hide-me")
        }
    }

    @Test("status, lower-cased headers (Retry-After) and body are returned; the request arrives intact without Expect")
    func responseShape() throws {
        let proxy = try FaultProxy(upstreamPort: 1)
        defer { proxy.stop() }
        proxy.enqueue(.respond(status: 429, headers: ["Retry-After": "7", "X-Influxdb-Error": "slow down"], body: #"{"error":"quota"}"#))
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 2 * 1024 * 1024)
        let response = try transport.send(HTTPRequest(
            url: proxy.url + "/write?db=x", method: .post, headers: [("Authorization", "Token t"), ("Content-Type", "text/plain")], body: body))
        #expect(response.status == 429)
        #expect(response.headers["retry-after"] == "7")
        #expect(response.headers["x-influxdb-error"] == "slow down")
        #expect(response.bodyText == #"{"error":"quota"}"#)
        let seen = try #require(proxy.requests.first)
        #expect(seen.bodyBytes == body.count)
        #expect(seen.headers["authorization"] == "Token t")
        #expect(seen.headers["expect"] == nil, "no 100-continue round trip")
        #expect(seen.requestLine == "POST /write?db=x HTTP/1.1")
    }

    @Test("every Set-Cookie of an answer is in setCookies, in order; headers keeps the last value")
    func everySetCookie() throws {
        let proxy = try FaultProxy(upstreamPort: 1)
        defer { proxy.stop() }
        // FaultProxy's extra headers are a dictionary: a value with CRLF writes the second Set-Cookie line.
        proxy.enqueue(.respond(status: 200, headers: ["Set-Cookie": "hive.server2.auth=abc; Path=/\r\nSet-Cookie: route=node-2; HttpOnly"]))
        let response = try transport.send(HTTPRequest(url: proxy.url + "/cliservice", method: .post, headers: [], body: [1]))
        #expect(response.setCookies == ["hive.server2.auth=abc; Path=/", "route=node-2; HttpOnly"])
        #expect(response.headers["set-cookie"] == "route=node-2; HttpOnly")
    }

    @Test("an answer slower than the total timeout maps to timedOut")
    func timeout() throws {
        let proxy = try FaultProxy(upstreamPort: try FreePort.find())
        defer { proxy.stop() }
        proxy.enqueue(.delayAnswer(.seconds(3)))
        let start = ContinuousClock.now
        #expect {
            _ = try transport.send(HTTPRequest(url: proxy.url + "/write", method: .post, body: [1], totalTimeout: .milliseconds(500)))
        } throws: { ($0 as? TransportError)?.kind == .timedOut }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test("a reset connection maps to connectionReset")
    func reset() throws {
        let proxy = try FaultProxy(upstreamPort: 1)
        defer { proxy.stop() }
        proxy.enqueue(.reset)
        #expect {
            _ = try transport.send(HTTPRequest(url: proxy.url + "/write", method: .post, body: Array("a v=1 1\n".utf8)))
        } throws: { ($0 as? TransportError)?.kind == .connectionReset }
    }

    @Test("a malformed URL is an invalidRequest, not a retryable failure")
    func malformedURL() {
        #expect {
            _ = try transport.send(HTTPRequest(url: "htp:/nope", method: .get))
        } throws: { [TransportError.Kind.invalidRequest].contains(($0 as? TransportError)?.kind) }
    }
}
