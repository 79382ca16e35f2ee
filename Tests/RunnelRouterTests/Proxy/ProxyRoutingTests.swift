import Foundation
import RunnelCore
import RunnelTestSupport
import RunnelHTTP
import Testing
@testable import RunnelRouter

@Suite struct ProxyRoutingTests {
    @Test func routesByHostIgnoringCaseAndPort() async throws {
        let a = try await TestUpstream.start(name: "a")
        let b = try await TestUpstream.start(name: "b")
        let router = try await RouterHarness.start("""
            [upstream."a.local"]
            servers = \(RouterHarness.servers([a.port]))
            [upstream."b.local"]
            servers = \(RouterHarness.servers([b.port]))
            """)
        defer { Task { await router.stop(); await a.stop(); await b.stop() } }
        #expect(try await router.get("A.Local:8080").text == "a")
        #expect(try await router.get("b.local").text == "b")
        let unknown = try await router.get("nobody.local")
        #expect(unknown.status == 502)
        #expect(unknown.header("content-type") == "application/json")
        #expect(unknown.text.contains("no upstream for host 'nobody.local'"))
    }

    @Test func servesOnItsOwnEventLoopsWhenConfigured() async throws {
        let upstream = try await TestUpstream.start(name: "own")
        let router = try await RouterHarness.start("""
            [router]
            event_loops = 1
            [upstream."own.local"]
            servers = \(RouterHarness.servers([upstream.port]))
            """)
        defer { Task { await router.stop(); await upstream.stop() } }
        #expect(router.server.eventLoopCount == 1)
        #expect(try await router.get("own.local").text == "own")
        #expect(try await router.get("own.local").text == "own")
    }

    @Test func wildcardAndDefaultRoutes() async throws {
        let apps = try await TestUpstream.start(name: "apps")
        let fallback = try await TestUpstream.start(name: "fallback")
        let router = try await RouterHarness.start("""
            [routes]
            "*.apps.test" = "apps"
            default = "fallback"
            [upstream.apps]
            servers = \(RouterHarness.servers([apps.port]))
            [upstream.fallback]
            servers = \(RouterHarness.servers([fallback.port]))
            """)
        defer { Task { await router.stop(); await apps.stop(); await fallback.stop() } }
        #expect(try await router.get("web.apps.test").text == "apps")
        #expect(try await router.get("elsewhere.org").text == "fallback")
    }

    @Test func forwardingHeadersAreSetAndHopByHopHeadersRemoved() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let response = try await router.get("app", headers: [
            "X-Forwarded-For: 10.1.1.1", "Keep-Alive: timeout=5", "X-Secret-Hop: 1", "Connection: X-Secret-Hop",
        ])
        #expect(response.status == 200)
        let generated = try #require(upstream.requests.last)
        #expect(generated.header("x-forwarded-for") == "10.1.1.1, 127.0.0.1")
        #expect(generated.header("x-forwarded-proto") == "http")
        #expect(generated.header("x-request-id")?.count == 32)
        #expect(generated.header("keep-alive") == nil)
        #expect(generated.header("x-secret-hop") == nil)
        _ = try await router.get("app", headers: ["X-Request-Id: given-id"])
        #expect(upstream.requests.last?.header("x-request-id") == "given-id")
    }

    @Test func keepAliveOnBothSidesReusesOneUpstreamConnection() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        for _ in 0..<20 {
            try await connection.send(RouterHarness.request("GET", "/", host: "app"))
            let response = try await connection.readResponse()
            #expect(response.status == 200 && response.text == "up")
        }
        #expect(!connection.isClosed)
        #expect(Set(upstream.requests.compactMap(\.remoteAddress)).count == 1)
    }

    @Test func idleUpstreamConnectionsAreClosedAfterTheIdleTimeout() async throws {
        // This upstream answers only the first request of each connection: reusing a connection
        // it should have been closed would hang until the read timeout (504).
        let upstream = try await RawUpstream.start(answer: Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8), closeAfter: false)
        let router = try await RouterHarness.start(app: [upstream.port], """
            [defaults]
            upstream_idle_timeout = "200ms"
            upstream_read_timeout = "2s"
            """)
        defer { Task { await router.stop(); await upstream.stop() } }
        #expect(try await router.get("app").status == 200)
        try await Task.sleep(for: .milliseconds(700))
        #expect(try await router.get("app").status == 200)
        #expect(upstream.connectionCount == 2)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let upstream = try await TestUpstream.start(name: "echo") { request in
            if request.path == "/slow" { try? await Task.sleep(for: .milliseconds(200)) }
            return .text(200, request.path)
        }
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        let paths = ["/slow", "/b", "/nohost", "/c"]
        try await connection.send(paths.map { RouterHarness.request("GET", $0, host: $0 == "/nohost" ? "unknown" : "app") }.joined())
        var answers: [String] = []
        for _ in paths { answers.append(try await connection.readResponse().text) }
        #expect(answers[0] == "/slow" && answers[1] == "/b" && answers[3] == "/c")
        #expect(answers[2].contains("no upstream for host 'unknown'"))
    }

    @Test func headResponsesCarryNoBodyAndKeepTheConnectionInStep() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        try await connection.send(RouterHarness.request("HEAD", "/", host: "app"))
        let head = try await connection.readResponse(headRequest: true)
        #expect(head.status == 200 && head.body.isEmpty)
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        #expect(try await connection.readResponse().text == "up")
    }

    @Test func expectContinueIsAnsweredByTheRouter() async throws {
        let upstream = try await TestUpstream.start(name: "up") { request in .text(200, "got \(request.body.count)") }
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        try await connection.send("POST / HTTP/1.1\r\nHost: app\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        #expect(try await connection.readResponseHead(timeout: .seconds(2)).status == 100)
        try await connection.send("hello")
        #expect(try await connection.readResponse().text == "got 5")
        #expect(upstream.requests.last?.header("expect") == nil)
    }

    @Test func stoppingLetsRequestsInFlightFinishAndStopsAccepting() async throws {
        let upstream = try await TestUpstream.start(name: "slow") { _ in
            try? await Task.sleep(for: .milliseconds(500))
            return .text(200, "done")
        }
        defer { Task { await upstream.stop() } }
        let router = try await RouterHarness.start(app: [upstream.port])
        let port = router.proxyPort
        let connection = try await RawConnection.connect(port: port)
        defer { connection.close() }
        // Taken before sending: the answer comes at least 500 ms later however loaded the machine.
        let sent = ContinuousClock.now
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        #expect(try await eventually(timeout: .seconds(5)) { router.server.activeRequests == 1 })
        let stopping = Task { await router.server.stop(drainTimeout: .seconds(5)) }
        #expect(try await connection.readResponse().text == "done")
        await stopping.value
        // stop() returned only once the request was answered (the upstream takes 500 ms).
        #expect(ContinuousClock.now - sent >= .milliseconds(450))
        await #expect(throws: (any Error).self) { _ = try await RawConnection.connect(port: port) }
    }

    @Test func weightedRoundRobinSpreadsByWeight() async throws {
        let light = try await TestUpstream.start(name: "light")
        let heavy = try await TestUpstream.start(name: "heavy")
        let router = try await RouterHarness.start("""
            [upstream.app]
            servers = [{ host = "127.0.0.1", port = \(light.port), weight = 1 }, { host = "127.0.0.1", port = \(heavy.port), weight = 3 }]
            """)
        defer { Task { await router.stop(); await light.stop(); await heavy.stop() } }
        var bodies: [String] = []
        for _ in 0..<8 { bodies.append(try await router.get("app").text) }
        #expect(bodies.filter { $0 == "light" }.count == 2)
        #expect(bodies.filter { $0 == "heavy" }.count == 6)
    }

    @Test func connectFailuresAreRetriedOnAnotherServer() async throws {
        let live = try await TestUpstream.start(name: "live")
        let deadPort = try LoopbackPort.ephemeral()
        let router = try await RouterHarness.start(app: [deadPort, live.port], """
            [defaults.ejection]
            consecutive_gateway_failures = 0
            """)
        defer { Task { await router.stop(); await live.stop() } }
        for _ in 0..<4 {
            let response = try await router.get("app")
            #expect(response.status == 200 && response.text == "live")
        }
    }

    @Test func gateway5xxIsRetriedForIdempotentMethodsOnly() async throws {
        let failing = try await TestUpstream.start(name: "failing") { _ in .text(503, "busy") }
        let router = try await RouterHarness.start(app: [failing.port], """
            [defaults.ejection]
            consecutive_5xx = 0
            consecutive_gateway_failures = 0
            """)
        defer { Task { await router.stop(); await failing.stop() } }
        let live = try await TestUpstream.start(name: "live")
        defer { Task { await live.stop() } }
        _ = try await router.admin("POST", "/upstream/app", body: #"{"servers":[{"host":"127.0.0.1","port":\#(live.port)}]}"#)
        for _ in 0..<4 { #expect(try await router.get("app").text == "live") }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        var statuses: [Int] = []
        for _ in 0..<4 {
            try await connection.send(RouterHarness.request("POST", "/", host: "app", body: "x"))
            statuses.append(try await connection.readResponse().status)
        }
        #expect(statuses.sorted() == [200, 200, 503, 503])
    }

    @Test func requestAndResponseBodiesStream() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let upstream = try await TestUpstream.start(name: "up") { request in
            if request.method == "POST" { return .text(200, "received \(request.body.count)") }
            return HTTPResponse(status: 200, body: .stream(chunks))
        }
        let router = try await RouterHarness.start(app: [upstream.port])
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        defer { connection.close() }
        // A chunked upload of 1 MiB in 64 KiB pieces.
        try await connection.send("POST /upload HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\n")
        let piece = [UInt8](repeating: 0x61, count: 65536)
        for _ in 0..<16 { try await connection.send(Array("10000\r\n".utf8) + piece + Array("\r\n".utf8)) }
        try await connection.send("0\r\n\r\n")
        #expect(try await connection.readResponse().text == "received 1048576")
        // The response head and first chunk arrive while the upstream has not finished.
        try await connection.send(RouterHarness.request("GET", "/stream", host: "app"))
        feed.yield(Array("first-".utf8))
        let head = try await connection.readResponseHead()
        #expect(head.status == 200)
        let firstChunk = try await connection.readBytes(10)
        #expect(String(decoding: firstChunk, as: UTF8.self).contains("first-"))
        feed.yield(Array("second".utf8))
        feed.finish()
        let rest = try await connection.readBytes(15)
        #expect(String(decoding: rest, as: UTF8.self).contains("second"))
    }
}
