import Foundation
import RunnelTestSupport
import Testing
@testable import RunnelRouter

/// The real `runnel-router` binary: `check`, SIGHUP reload without dropping connections, SIGTERM.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["RUNNEL_INTEGRATION"] == "1",
                "process-level test; set RUNNEL_INTEGRATION=1"))
struct RouterProcessTests {
    @Test func checkReportsErrorsWithFileLineAndExits78() async throws {
        let scratch = try ScratchFolder()
        let good = try scratch.file("router.toml", """
            [[listener]]
            address = "127.0.0.1:0"
            [upstream.app]
            servers = [{ host = "127.0.0.1", port = 8080 }]
            """)
        let ok = try await RouterProcess.run(["check", "-c", good], scratch: scratch)
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("ok"))
        let bad = try scratch.file("bad.toml", """
            [[listener]]
            address = "127.0.0.1:0"
            [defaults]
            retries = 3
            """)
        let failed = try await RouterProcess.run(["check", "-c", bad], scratch: scratch)
        #expect(failed.status == 78)
        #expect(failed.output.contains("unknown option 'retries' in [defaults] (\(bad):4)"))
    }

    @Test func sighupReloadsRoutesWithoutDroppingConnectionsAndSigtermExitsCleanly() async throws {
        let scratch = try ScratchFolder()
        let first = try await TestUpstream.start(name: "first")
        let second = try await TestUpstream.start(name: "second")
        defer { Task { await first.stop(); await second.stop() } }
        let config = { (upstream: String) in """
            [router]
            state_dir = "\(scratch.url.path)/state"
            [[listener]]
            address = "127.0.0.1:0"
            [admin]
            address = "127.0.0.1:0"
            token = "t"
            [upstream.app]
            servers = \(RouterHarness.servers([upstream == "first" ? first.port : second.port]))
            """ }
        let path = try scratch.file("router.toml", config("first"))
        let router = try RouterProcess(arguments: ["-c", path], scratch: scratch)
        try router.start()
        do {
            try await reloadWhileConnected(router, scratch: scratch, config: config)
        } catch {
            await router.stop()
            throw error
        }
        #expect(await router.stop() == 0)
    }

    private func reloadWhileConnected(_ router: RouterProcess, scratch: ScratchFolder, config: (String) -> String) async throws {
        let ports = try await router.waitUntilListening()
        let connection = try await RawConnection.connect(port: ports.proxy[0])
        defer { connection.close() }
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        #expect(try await connection.readResponse().text == "first")
        _ = try scratch.file("router.toml", config("second"))
        router.signal(SIGHUP)
        let reloaded = await eventually { router.stderr.contains("reloaded") }
        #expect(reloaded, "\(router.stderr)")
        try await connection.send(RouterHarness.request("GET", "/", host: "app"))
        #expect(try await connection.readResponse().text == "second")
    }
}
