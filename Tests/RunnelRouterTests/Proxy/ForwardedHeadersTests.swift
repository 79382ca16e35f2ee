import NIOHTTP1
import Testing
@testable import RunnelRouter

@Suite struct ForwardedHeadersTests {
    @Test func requestHeadersAreRewrittenInOnePass() {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/x", headers: HTTPHeaders([
            ("Host", "app"), ("Connection", "keep-alive, X-Private"), ("X-PRIVATE", "1"), ("TE", "trailers"),
            ("X-Forwarded-For", "10.0.0.1"), ("x-forwarded-for", "10.0.0.2"), ("X-Forwarded-Proto", "gopher"),
            ("Content-Length", "3"), ("Upgrade", "websocket"), ("Accept", "*/*"),
        ]))
        let (upstream, id) = ForwardedHeaders.upstreamRequest(head, clientIP: "127.0.0.9", proto: "https") { "generated" }
        #expect(id == "generated")
        #expect(upstream.headers["x-forwarded-for"] == ["10.0.0.1, 10.0.0.2, 127.0.0.9"])
        #expect(upstream.headers["x-forwarded-proto"] == ["https"])
        #expect(upstream.headers["x-request-id"] == ["generated"])
        for name in ["connection", "x-private", "te", "upgrade"] { #expect(!upstream.headers.contains(name: name)) }
        #expect(upstream.headers["content-length"] == ["3"] && upstream.headers["accept"] == ["*/*"])
    }

    @Test func aPlainRequestKeepsItsHeadersAndGetsTheThreeAdded() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: HTTPHeaders([("Host", "app"), ("Accept", "*/*")]))
        let (upstream, id) = ForwardedHeaders.upstreamRequest(head, clientIP: "1.2.3.4", proto: "http") { "fresh" }
        #expect(id == "fresh")
        #expect(upstream.headers.map(\.name) == ["Host", "Accept", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id"])
        #expect(upstream.headers["x-forwarded-for"] == ["1.2.3.4"])
    }

    @Test func aGivenRequestIDIsKept() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: HTTPHeaders([("X-Request-ID", "abc")]))
        let (upstream, id) = ForwardedHeaders.upstreamRequest(head, clientIP: "1.2.3.4", proto: "http") { "unused" }
        #expect(id == "abc" && upstream.headers["x-request-id"] == ["abc"])
    }

    @Test func responseHopByHopHeadersGoAndConnectionFollowsTheClient() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: HTTPHeaders([
            ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"), ("Content-Length", "2"), ("Proxy-Connection", "x"),
        ]))
        let closing = ForwardedHeaders.clientResponse(head, version: .http1_1, keepAlive: false)
        #expect(closing.headers["connection"] == ["close"])
        #expect(!closing.headers.contains(name: "keep-alive") && !closing.headers.contains(name: "proxy-connection"))
        let old = ForwardedHeaders.clientResponse(head, version: .http1_0, keepAlive: true)
        #expect(old.headers["connection"] == ["keep-alive"] && old.version == HTTPVersion.http1_0)
    }

    @Test func headerNamesAreClassifiedCaseInsensitively() {
        #expect(HeaderName.classify("CoNNection") == .hopByHop)
        #expect(HeaderName.classify("Transfer-Encoding") == .transferEncoding)
        #expect(HeaderName.classify("connectionX") == .other)
        #expect(HeaderName.classify("X-Forwarded-Proto") == .forwardedProto)
    }
}
