import NIOCore
import Testing
@testable import RunnelRouter

@Suite struct ForwardedHeadersTests {
    private func request(_ text: String) throws -> RequestHead { try RequestHead.parse(ByteBuffer(string: text)) }

    private func upstream(_ text: String, id: RequestID = .given("generated")) throws -> String {
        let head = try request(text)
        var out = ByteBuffer()
        ForwardedHeaders.upstreamRequest(head, clientIP: "127.0.0.9", proto: "https", requestID: id, into: &out)
        return String(buffer: out)
    }

    @Test func requestHeadersAreRewrittenInOnePass() throws {
        let sent = try upstream("POST /x HTTP/1.1\r\nHost: app\r\nConnection: keep-alive, X-Private\r\nX-PRIVATE: 1\r\nTE: trailers\r\n"
            + "X-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\nX-Forwarded-Proto: gopher\r\nContent-Length: 3\r\n"
            + "Upgrade: websocket\r\nExpect: 100-continue\r\nAccept: */*\r\n\r\n")
        #expect(sent == "POST /x HTTP/1.1\r\nHost: app\r\nContent-Length: 3\r\nAccept: */*\r\n"
            + "X-Forwarded-For: 10.0.0.1, 10.0.0.2, 127.0.0.9\r\nX-Forwarded-Proto: https\r\nX-Request-Id: generated\r\n\r\n")
    }

    @Test func aPlainRequestKeepsItsHeadersAndGetsTheThreeAdded() throws {
        let sent = try upstream("GET / HTTP/1.0\r\nHost: app\r\nAccept: */*\r\n\r\n", id: .generated(0x0123_4567_89ab_cdef, 15))
        #expect(sent == "GET / HTTP/1.1\r\nHost: app\r\nAccept: */*\r\nX-Forwarded-For: 127.0.0.9\r\nX-Forwarded-Proto: https\r\n"
            + "X-Request-Id: 0123456789abcdef000000000000000f\r\n\r\n")
    }

    @Test func aGivenRequestIDIsKept() throws {
        let head = try request("GET / HTTP/1.1\r\nX-Request-ID: abc\r\n\r\n")
        #expect(head.givenRequestID == "abc")
        let sent = try upstream("GET / HTTP/1.1\r\nX-Request-ID: abc\r\n\r\n")
        #expect(sent.contains("X-Request-ID: abc\r\n") && !sent.contains("generated"))
    }

    @Test func responseHopByHopHeadersGoAndConnectionFollowsTheClient() throws {
        let head = try ResponseHead.parse(ByteBuffer(string: "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: timeout=5\r\n"
            + "X-hop: 1\r\nContent-Length: 2\r\nProxy-Connection: x\r\nServer: up\r\n\r\n"))
        #expect(head.status == 200 && head.contentLength == 2 && head.dropped.needsScan && head.keepsConnection)
        var closing = ByteBuffer()
        ForwardedHeaders.clientResponse(head, clientMinorVersion: 1, keepAlive: false, dropTransferEncoding: false, into: &closing)
        #expect(String(buffer: closing) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: up\r\nConnection: close\r\n\r\n")
        var old = ByteBuffer()
        ForwardedHeaders.clientResponse(head, clientMinorVersion: 0, keepAlive: true, dropTransferEncoding: false, into: &old)
        #expect(String(buffer: old) == "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nServer: up\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func upToTwoHopByHopLinesAreCutWithoutARescan() throws {
        let head = try ResponseHead.parse(ByteBuffer(string: "HTTP/1.1 404 Not Found\r\nServer: up\r\nConnection: keep-alive\r\n"
            + "Content-Length: 0\r\nKeep-Alive: timeout=5\r\nDate: now\r\n\r\n"))
        #expect(!head.dropped.isEmpty && !head.dropped.needsScan)
        var out = ByteBuffer()
        ForwardedHeaders.clientResponse(head, clientMinorVersion: 1, keepAlive: true, dropTransferEncoding: false, into: &out)
        #expect(String(buffer: out) == "HTTP/1.1 404 Not Found\r\nServer: up\r\nContent-Length: 0\r\nDate: now\r\n\r\n")
        let sent = try upstream("GET / HTTP/1.1\r\nConnection: keep-alive\r\nHost: a\r\nX-Forwarded-Proto: x\r\n\r\n")
        #expect(sent == "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 127.0.0.9\r\nX-Forwarded-Proto: https\r\nX-Request-Id: generated\r\n\r\n")
    }

    @Test func headerNamesAreClassifiedCaseInsensitively() {
        #expect(HeaderName.classify("CoNNection") == .connection)
        #expect(HeaderName.classify("Keep-Alive") == .hopByHop)
        #expect(HeaderName.classify("Transfer-Encoding") == .transferEncoding)
        #expect(HeaderName.classify("connectionX") == .other)
        #expect(HeaderName.classify("X-Forwarded-Proto") == .forwardedProto)
    }
}
