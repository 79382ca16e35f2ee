import Foundation
import RunnelTestSupport
import Testing
import RunnelESTestServer

/// `runnel agent` as a real process: LogstreamerInput → ESJsonEncoder (deterministic ids, create)
/// → ElasticSearchOutput → the test server. Killed with SIGKILL mid-run and started again, it
/// stores every line exactly once: what it sends again after the restart is answered 409 and
/// counted as a duplicate.
@Suite(.serialized, .enabled(if: ESIntegration.enabled)) struct ESAgentKillTests {
    static func lines(_ range: Range<Int>) -> Data {
        Data(range.map { String(format: "%07d %@\n", $0, String(repeating: "x", count: 40)) }.joined().utf8)
    }

    @Test func killDashNineAndRestartStoresEveryLineOnce() async throws {
        let total = ESIntegration.long ? 1_000_000 : 100_000
        let server = try await BulkTestServer.start(keepSources: false)
        // Slow answers keep requests in flight, so the kill always lands mid-run.
        server.setFaults { $0.latency = .milliseconds(40) }
        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let logPath = try scratch.file("logs/app.log", Data())
        let config = try scratch.file("agent.toml", """
            [runnel]
            base_dir = "\(scratch.url.path)/state"
            admin_address = "127.0.0.1:0"

            [logs]
            type = "LogstreamerInput"
            log_directory = "\(scratch.url.path)/logs"
            file_match = '.*\\.log'
            rescan_interval = "100ms"

            [es_encoder]
            type = "ESJsonEncoder"
            index = "runnel-test"
            deterministic_id = true
            deterministic_id_fields = ["Payload"]

            [es]
            type = "ElasticSearchOutput"
            message_matcher = "TRUE"
            encoder = "es_encoder"
            server = "\(server.url)"
            flush_count = 2000
            flush_interval = 50
            """)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let deadline = ContinuousClock.now + .seconds(ESIntegration.long ? 600 : 120)
        let first = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
        defer { if first.process.isRunning { first.signal(SIGKILL) } }
        #expect(await first.adminAddress() != nil, "\(first.stderrText)")
        let half = total / 2
        for start in stride(from: 0, to: half, by: 10_000) {
            try log.write(contentsOf: Self.lines(start..<min(half, start + 10_000)))
        }
        while server.storedCount < half / 2 && ContinuousClock.now < deadline && first.process.isRunning {
            try await Task.sleep(for: .milliseconds(5))
        }
        first.signal(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(10)) != nil)
        let storedAtKill = server.storedCount
        #expect(storedAtKill >= half / 2 && storedAtKill < half, "killed mid-run")
        server.setFaults { $0.latency = .zero }

        try log.write(contentsOf: Self.lines(half..<total))
        try log.close()
        let second = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
        defer { if second.process.isRunning { second.signal(SIGKILL) } }
        #expect(await second.adminAddress() != nil, "\(second.stderrText)")
        while server.storedCount < total && ContinuousClock.now < deadline && second.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0, "\(second.stderrText)")

        let stored = server.allDocuments
        #expect(stored.count == total, "every line stored")
        #expect(stored.allSatisfy { $0.version == 1 && $0.index == "runnel-test" }, "each stored once")
        let duplicates = server.state.withLock { $0.statusCounts[409] ?? 0 }
        print("ES kill -9: \(storedAtKill) stored at the kill, \(duplicates) lines sent again and answered 409")
        await server.stop()
    }
}
