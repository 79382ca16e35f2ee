import Foundation
import RunnelHTTP
import Testing
@testable import RunnelRouter

@Suite struct BadInputTests {
    private func router(upstreamPort: Int, extra: String = "") async throws -> RouterHarness {
        try await RouterHarness.start(app: [upstreamPort], """
            [defaults]
            client_header_timeout = "500ms"
            upstream_read_timeout = "1s"
            tries = 1
            \(extra)
            """)
    }

    /// The router still answers normally: nothing crashed or wedged.
    private func stillServes(_ router: RouterHarness) async throws {
        #expect(try await router.get("app").status < 500)
    }

    @Test func malformedRequestLineGets400AndClose() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        try await connection.send("GARBAGE\u{1}LINE\r\n\r\n")
        let response = try await connection.readResponse()
        #expect(response.status == 400)
        _ = try await connection.readUntilClosed()
        #expect(upstream.requestCount == 0)
        try await stillServes(router)
    }

    @Test func oneMegabyteOfHeadersGets431() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        var request = "GET / HTTP/1.1\r\nHost: app\r\n"
        for index in 0..<1024 { request += "X-Filler-\(index): " + String(repeating: "f", count: 1000) + "\r\n" }
        // The router may answer and close before everything is sent: a failed send is fine.
        try? await connection.send(request + "\r\n")
        let response = try await connection.readResponse()
        #expect(response.status == 431)
        #expect(upstream.requestCount == 0)
        try await stillServes(router)
    }

    @Test func slowlorisHeadersGet408WithinTheHeaderTimeout() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        let started = ContinuousClock.now
        try await connection.send("GET / HTTP/1.1\r\nHost: app\r\n")
        for index in 0..<3 {
            try? await Task.sleep(for: .milliseconds(100))
            try? await connection.send("X-Drip-\(index): 1\r\n")
        }
        let response = try await connection.readResponse(timeout: .seconds(5))
        #expect(response.status == 408)
        _ = try await connection.readUntilClosed(timeout: .seconds(5))
        // The header timeout (500 ms) counts from the first byte, not the latest: dripping does not
        // extend it. Generous bound for a machine shared with other tests.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(upstream.requestCount == 0)
    }

    @Test func aSilentKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await router(upstreamPort: upstream.port, extra: "client_idle_timeout = \"300ms\"")
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        #expect(try await connection.readResponse().status == 200)
        // Nothing more is sent: the router closes without answering (no 408 for an idle wait).
        let rest = try await connection.readUntilClosed(timeout: .seconds(5))
        #expect(rest.isEmpty)
    }

    @Test func clientDisconnectingMidBodyLeaksNothing() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        for _ in 0..<5 {
            let connection = try await RawConnection.connect(port: router.proxyPort)
            try await connection.send("POST / HTTP/1.1\r\nHost: app\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 1000))
            connection.close()
        }
        try await stillServes(router)
        let settled = await eventually {
            let status = try? await router.admin("GET", "/status")
            return status?.text.contains("\"active_requests\":0") == true
        }
        #expect(settled)
    }

    @Test func malformedUpstreamResponseGets502() async throws {
        let upstream = try await RawUpstream.start(answer: Array("NOT HTTP AT ALL\r\n\r\n".utf8), closeAfter: false)
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        let response = try await router.get("app")
        #expect(response.status == 502)
        #expect(response.text.contains("malformed response"))
    }

    @Test func upstreamClosingBeforeAnyResponseGets502() async throws {
        let upstream = try await RawUpstream.start(answer: [], closeAfter: true)
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        #expect(try await router.get("app").status == 502)
    }

    @Test func upstreamClosingMidResponseCutsTheClientShort() async throws {
        let upstream = try await RawUpstream.start(
            answer: Array("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly-a-little".utf8), closeAfter: true)
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        let received = String(decoding: try await connection.readUntilClosed(), as: UTF8.self)
        #expect(received.hasPrefix("HTTP/1.1 200"))
        #expect(received.hasSuffix("only-a-little"))
    }

    @Test func silentUpstreamGets504AfterTheReadTimeout() async throws {
        let upstream = try await TestUpstream.start(name: "slow") { _ in
            try? await Task.sleep(for: .seconds(5))
            return .text(200, "late")
        }
        let router = try await router(upstreamPort: upstream.port)
        defer { Task { await router.stop(); await upstream.stop() } }
        let started = ContinuousClock.now
        let response = try await router.get("app")
        #expect(response.status == 504)
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test func declaredBodyOverTheLimitGets413() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await router(upstreamPort: upstream.port, extra: "max_body_size = 1000")
        defer { Task { await router.stop(); await upstream.stop() } }
        let connection = try await RawConnection.connect(port: router.proxyPort)
        try await connection.send("POST / HTTP/1.1\r\nHost: app\r\nContent-Length: 5000\r\n\r\n")
        #expect(try await connection.readResponse().status == 413)
        #expect(upstream.requestCount == 0)
    }
}
