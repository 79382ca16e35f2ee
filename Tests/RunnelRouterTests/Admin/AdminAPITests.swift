import Foundation
import RunnelCore
import RunnelHTTP
import Testing
@testable import RunnelRouter
import RunnelTestSupport

@Suite struct AdminAPITests {
    @Test func requestsWithoutTheTokenGet401() async throws {
        let router = try await RouterHarness.start("")
        defer { Task { await router.stop() } }
        #expect(try await router.admin("GET", "/upstreams", token: nil).status == 401)
        #expect(try await router.admin("GET", "/upstreams", token: "wrong-token").status == 401)
        #expect(try await router.admin("POST", "/upstream/x", body: #"{"servers":[{"host":"127.0.0.1","port":1}]}"#, token: nil).status == 401)
        #expect(try await router.admin("DELETE", "/upstream/x", token: nil).status == 401)
        #expect(try await router.admin("GET", "/status", token: nil).status == 401)
        #expect(try await router.admin("GET", "/upstreams").status == 200)
    }

    @Test func statusMayBeOpenWhileWritesStayProtected() async throws {
        let open = try await RouterHarness.startWithOpenStatus()
        defer { Task { await open.stop() } }
        #expect(try await open.admin("GET", "/status", token: nil).status == 200)
        #expect(try await open.admin("GET", "/upstreams", token: nil).status == 401)
    }

    @Test func shortFormMergesClusterFormReplacesDeleteRemoves() async throws {
        let router = try await RouterHarness.start("")
        defer { Task { await router.stop() } }
        var response = try await router.admin("POST", "/upstream/App.Test", body: #"{"servers":[{"host":"10.0.0.1","port":80}]}"#)
        #expect(response.status == 200)
        response = try await router.admin("PUT", "/upstream/app.test", body: #"{"servers":[{"host":"10.0.0.2","port":80,"weight":3}]}"#)
        #expect(response.text.contains("10.0.0.1") && response.text.contains("10.0.0.2"))
        response = try await router.admin("POST", "/upstream/app.test", body: #"{"cluster":[{"servers":[{"host":"10.0.0.3","port":80}]},{"servers":[{"host":"10.0.0.4","port":80}]}]}"#)
        #expect(!response.text.contains("10.0.0.1"))
        #expect(response.text.contains(#"{"cluster":[{"servers":[{"host":"10.0.0.3""#))
        response = try await router.admin("GET", "/upstream/app.test")
        #expect(response.text.contains("10.0.0.4"))
        response = try await router.admin("DELETE", "/upstream/app.test", body: #"{"servers":[{"host":"10.0.0.4","port":80}]}"#)
        #expect(!response.text.contains("10.0.0.4"))
        #expect(try await router.admin("DELETE", "/upstream/app.test").status == 200)
        #expect(try await router.admin("GET", "/upstream/app.test").status == 404)
        #expect(try await router.admin("POST", "/upstream/bad", body: #"{"servers":[{"host":"h"}]}"#).status == 400)
        #expect(try await router.admin("POST", "/upstream/bad", body: "not json").status == 400)
        #expect(try await router.admin("POST", "/upstream/bad", body: #"{"server":[]}"#).text.contains("did you mean 'servers'?"))
    }

    @Test func updatesApplyToNewRequestsWhileAStreamOnTheOldPoolCompletes() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let old = try await TestUpstream.start(name: "old") { _ in HTTPResponse(status: 200, body: .stream(chunks)) }
        let new = try await TestUpstream.start(name: "new")
        let router = try await RouterHarness.start(app: [old.port])
        defer { Task { await router.stop(); await old.stop(); await new.stop() } }
        let streaming = try await RawConnection.connect(port: router.proxyPort)
        defer { streaming.close() }
        try await streaming.send(RouterHarness.request("GET", "/long", host: "app"))
        feed.yield(Array("part-one;".utf8))
        #expect(try await streaming.readResponseHead().status == 200)
        _ = try await router.admin("POST", "/upstream/app", body: #"{"cluster":[{"servers":[{"host":"127.0.0.1","port":\#(new.port)}]}]}"#)
        #expect(try await router.get("app").text == "new")
        feed.yield(Array("part-two".utf8))
        feed.finish()
        let rest = String(decoding: try await streaming.readBytes(32, timeout: .seconds(5)), as: UTF8.self)
        #expect(rest.contains("part-one;") && rest.contains("part-two"))
        #expect(rest.hasSuffix("0\r\n\r\n"))
    }

    @Test func apiChangesSurviveARestart() async throws {
        let upstream = try await TestUpstream.start(name: "persisted")
        defer { Task { await upstream.stop() } }
        let scratchFolder = try ScratchFolder()
        let scratch = scratchFolder.url.path
        let first = try await RouterHarness.start("", stateDirectory: scratch)
        _ = try await first.admin("POST", "/upstream/kept", body: #"{"servers":[{"host":"127.0.0.1","port":\#(upstream.port)}]}"#)
        #expect(try await first.get("kept").text == "persisted")
        await first.stop()
        let second = try await RouterHarness.start("", stateDirectory: scratch)
        defer { Task { await second.stop() } }
        #expect(try await second.get("kept").text == "persisted")
        #expect(try await second.admin("GET", "/upstreams").text.contains("\"kept\""))
    }

    @Test func manualEjectAndRestoreButNeverTheLastServer() async throws {
        let a = try await TestUpstream.start(name: "a")
        let b = try await TestUpstream.start(name: "b")
        let router = try await RouterHarness.start(app: [a.port, b.port])
        defer { Task { await router.stop(); await a.stop(); await b.stop() } }
        let ejected = try await router.admin("POST", "/upstream/app/servers/127.0.0.1:\(a.port)/eject", body: #"{"duration":"60s","reason":"alertman: 5xx"}"#)
        #expect(ejected.status == 200)
        #expect(ejected.text.contains("\"status\":\"ejected\"") && ejected.text.contains("alertman: 5xx"))
        for _ in 0..<4 { #expect(try await router.get("app").text == "b") }
        let refused = try await router.admin("POST", "/upstream/app/servers/127.0.0.1:\(b.port)/eject", body: #"{"duration":30}"#)
        #expect(refused.status == 409)
        #expect(try await router.admin("POST", "/upstream/app/servers/127.0.0.1:\(a.port)/restore").status == 200)
        var bodies: Set<String> = []
        for _ in 0..<4 { bodies.insert(try await router.get("app").text) }
        #expect(bodies == ["a", "b"])
        #expect(try await router.admin("POST", "/upstream/app/servers/10.9.9.9:1/eject").status == 404)
    }
}

extension RouterHarness {
    static func startWithOpenStatus() async throws -> RouterHarness {
        let text = """
            [admin]
            address = "127.0.0.1:0"
            token = "\(token)"
            allow_unauthenticated_status = true
            """
        let result = RouterConfigLoader(environment: [:]).load(text: text)
        guard let config = result.config else { throw HarnessError(description: "config: \(result.diagnostics)") }
        return RouterHarness(server: try await RouterServer.start(config))
    }
}
