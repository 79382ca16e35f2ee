import Foundation
import RunnelHTTP
import Testing
@testable import RunnelRouter

/// Bodies pass through as bytes: chunked both ways, de-chunked for HTTP/1.0 clients, bodies that
/// end with the upstream's close, and requests pipelined behind them.
@Suite struct BodyFramingTests {
    private static let chunked = Array(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").utf8)

    @Test func chunkedResponsesPassThrough() async throws {
        let upstream = try await RawUpstream.start(answer: Self.chunked, closeAfter: false)
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        let response = try await connection.readResponse()
        #expect(response.status == 200 && response.text == "hello world")
        #expect(response.header("transfer-encoding") == "chunked" && response.header("connection") == nil)
        #expect(!connection.isClosed)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let upstream = try await TestUpstream.start(name: "up") { request in .text(200, request.path) }
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        // Three requests in one write; each waits until the response before it is complete.
        try await connection.send((1...3).map { RouterHarness.request("GET", "/\($0)", host: "app") }.joined())
        for index in 1...3 { #expect(try await connection.readResponse().text == "/\(index)") }
    }

    @Test func anHTTP10ClientGetsTheBodyWithoutChunksAndAClose() async throws {
        let upstream = try await RawUpstream.start(answer: Self.chunked, closeAfter: false)
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        try await connection.send("GET / HTTP/1.0\r\nHost: app\r\nConnection: keep-alive\r\n\r\n")
        let received = String(decoding: try await connection.readUntilClosed(), as: UTF8.self)
        #expect(received.hasPrefix("HTTP/1.0 200 OK\r\n"))
        #expect(!received.lowercased().contains("transfer-encoding") && received.contains("Connection: close\r\n"))
        #expect(received.hasSuffix("\r\n\r\nhello world"))
    }

    @Test func aBodyEndingWithTheUpstreamCloseEndsTheClientConnection() async throws {
        let upstream = try await RawUpstream.start(answer: Array("HTTP/1.1 200 OK\r\n\r\nuntil the end".utf8), closeAfter: true)
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        let received = String(decoding: try await connection.readUntilClosed(), as: UTF8.self)
        #expect(received.hasPrefix("HTTP/1.1 200 OK\r\n") && received.contains("Connection: close\r\n"))
        #expect(received.hasSuffix("\r\n\r\nuntil the end"))
    }

    @Test func chunkedRequestBodiesReachTheUpstreamAsSent() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        try await connection.send("POST /upload HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n")
        try? await Task.sleep(for: .milliseconds(50))
        try await connection.send("3\r\nefg\r\n0\r\n\r\n")
        let response = try await connection.readResponse()
        #expect(response.status == 200)
        let seen = try #require(upstream.requests.last)
        #expect(String(decoding: seen.body, as: UTF8.self) == "abcdefg")
    }

    @Test func aMalformedChunkGets400() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        try await connection.send("POST / HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        let received = String(decoding: try await connection.readUntilClosed(), as: UTF8.self)
        #expect(received.hasPrefix("HTTP/1.1 400"))
    }
}
