import Foundation
import RunnelCore
import RunnelHTTP
import Testing
@testable import RunnelRouter

@Suite struct HealthTests {
    /// The `status` of one server in `GET /status`.
    private func serverStatus(_ router: RouterHarness, port: Int) async throws -> String? {
        let document = try JSONReader.parse(try await router.admin("GET", "/status").body)
        guard case .array(let levels)? = document["cls:app"] else { return nil }
        for case .array(let servers) in levels {
            for server in servers where server["server"] == .string("app:127.0.0.1:\(port)") {
                if case .string(let status)? = server["status"] { return status }
            }
        }
        return nil
    }

    @Test func activeChecksMarkAKilledServerDownAndBackUp() async throws {
        let steady = try await TestUpstream.start(name: "steady")
        let flaky = try await TestUpstream.start(name: "flaky")
        let flakyPort = flaky.port
        let router = try await RouterHarness.start(app: [steady.port, flakyPort], """
            [defaults.health]
            interval = "500ms"
            timeout = "1s"
            path = "/healthz"
            fall = 2
            rise = 2
            """)
        defer { Task { await router.stop(); await steady.stop() } }
        #expect(try await eventually(timeout: .seconds(3)) { try await serverStatus(router, port: flakyPort) == "ok" })
        #expect(flaky.requests.contains { $0.path == "/healthz" })
        await flaky.stop()
        let killed = ContinuousClock.now
        #expect(try await eventually(timeout: .seconds(10)) { try await serverStatus(router, port: flakyPort) == "err" })
        // interval × fall, plus one interval of phase and the probe timeout (2.5 s), plus slack for
        // a machine shared with other tests.
        #expect(ContinuousClock.now - killed < .seconds(5))
        for _ in 0..<4 { #expect(try await router.get("app").text == "steady") }
        let revived = try await TestUpstream.restart(name: "flaky", port: flakyPort)
        defer { Task { await revived.stop() } }
        #expect(try await eventually(timeout: .seconds(10)) { try await serverStatus(router, port: flakyPort) == "ok" })
        var bodies: Set<String> = []
        for _ in 0..<4 { bodies.insert(try await router.get("app").text) }
        #expect(bodies == ["steady", "flaky"])
    }

    @Test func aServerAnswering503IsEjectedAndRestoredOnSchedule() async throws {
        let good = try await TestUpstream.start(name: "good")
        let bad = try await TestUpstream.start(name: "bad") { _ in .text(503, "bad") }
        let router = try await RouterHarness.start(app: [good.port, bad.port], """
            [defaults]
            tries = 1
            [defaults.ejection]
            consecutive_5xx = 2
            base_ejection_time = "3s"
            max_ejection_percent = 50
            """)
        defer { Task { await router.stop(); await good.stop(); await bad.stop() } }
        // Taken before the requests that eject: the ejection happens later, so its end cannot come
        // sooner than base_ejection_time after this, however slowly a loaded machine runs the test.
        let beforeEjection = ContinuousClock.now
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(try await router.get("app").status) }
        #expect(statuses.filter { $0 == 503 }.count == 2)
        #expect(try await serverStatus(router, port: bad.port) == "ejected")
        let badCount = bad.requestCount
        for _ in 0..<4 { #expect(try await router.get("app").text == "good") }
        #expect(bad.requestCount == badCount)
        #expect(try await eventually(timeout: .seconds(10)) { try await serverStatus(router, port: bad.port) != "ejected" })
        #expect(ContinuousClock.now - beforeEjection >= .milliseconds(2950))
        var sawBad = false
        for _ in 0..<4 where try await router.get("app").status == 503 { sawBad = true }
        #expect(sawBad)
    }

    @Test func neverEjectsTheLastServer() async throws {
        let bad = try await TestUpstream.start(name: "bad") { _ in .text(503, "bad") }
        let worse = try await TestUpstream.start(name: "worse") { _ in .text(503, "worse") }
        let router = try await RouterHarness.start(app: [bad.port, worse.port], """
            [defaults]
            tries = 1
            [defaults.ejection]
            consecutive_5xx = 1
            max_ejection_percent = 100
            """)
        defer { Task { await router.stop(); await bad.stop(); await worse.stop() } }
        for _ in 0..<6 { #expect(try await router.get("app").status == 503) }
        let states = [try await serverStatus(router, port: bad.port), try await serverStatus(router, port: worse.port)]
        #expect(states.filter { $0 == "ejected" }.count == 1)
        #expect(bad.requestCount + worse.requestCount == 6)
    }
}

extension TestUpstream {
    /// A fresh server on a port a stopped one used (the kernel allows the rebind at once).
    static func restart(name: String, port: Int) async throws -> TestUpstream {
        try await start(name: name, port: port)
    }
}
