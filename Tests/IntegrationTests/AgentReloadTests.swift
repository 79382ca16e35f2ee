import Foundation
import RunnelTestSupport
import Testing

/// SIGHUP reloads: a changed output is replaced, unchanged plugins keep running with their
/// counters, nothing is lost, and a bad configuration leaves the running one in place.
@Suite struct AgentReloadTests {
    static func config(_ scratch: ScratchFolder, secondPath: String) -> String {
        AgentConfigs.followingLogs(scratch, outputs: AgentConfigs.fileOutput("first", path: scratch.url.path + "/first.out")
            + "\n\n" + AgentConfigs.fileOutput("second", path: scratch.url.path + "/" + secondPath))
    }

    static func lines(_ path: String) -> [Substring] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    static func waitForDelivered(_ agent: AgentProcess, _ count: Int) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let ledger = (await agent.pluginStatus("logs"))?["ledger"] as? [String: Int], ledger["delivered"] == count { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func changedOutputIsReplacedWhileTheOthersKeepTheirCountersAndNothingIsLost() async throws {
        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let logPath = try scratch.file("logs/app.log", Data())
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let configPath = try scratch.file("agent.toml", Self.config(scratch, secondPath: "second-a.out"))
        let agent = try AgentProcess(config: configPath, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
        #expect(await agent.adminAddress() != nil, "\(agent.stderrText)")

        try log.write(contentsOf: Data((0..<10_000).map { "line \($0)\n" }.joined().utf8))
        #expect(await Self.waitForDelivered(agent, 10_000))

        _ = try scratch.file("agent.toml", Self.config(scratch, secondPath: "second-b.out"))
        agent.signal(SIGHUP)
        // Lines written during and after the reload.
        for chunk in 1...10 {
            try log.write(contentsOf: Data((chunk * 1000 + 9000..<chunk * 1000 + 10_000).map { "line \($0)\n" }.joined().utf8))
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await Self.waitForDelivered(agent, 20_000))
        let first = try #require(await agent.pluginStatus("first"))
        let second = try #require(await agent.pluginStatus("second"))
        #expect(first["delivered"] as? Int == 20_000, "the unchanged output kept its counters")
        #expect((second["delivered"] as? Int ?? 0) < 20_000, "the changed output is a new instance")

        // A broken configuration is refused; the running one keeps working.
        _ = try scratch.file("agent.toml", "[runnel\nbroken = ")
        agent.signal(SIGHUP)
        try log.write(contentsOf: Data((20_000..<21_000).map { "line \($0)\n" }.joined().utf8))
        #expect(await Self.waitForDelivered(agent, 21_000))
        #expect(agent.process.isRunning)

        agent.signal(SIGTERM)
        #expect(await agent.waitForExit(timeout: .seconds(30)) == 0)
        let expected = Set((0..<21_000).map { "line \($0)" })
        #expect(Set(Self.lines(scratch.url.path + "/first.out").map(String.init)) == expected)
        #expect(Self.lines(scratch.url.path + "/first.out").count == 21_000)
        let secondLines = Self.lines(scratch.url.path + "/second-a.out") + Self.lines(scratch.url.path + "/second-b.out")
        #expect(Set(secondLines.map(String.init)) == expected, "the replaced output lost nothing across the switch")
        #expect(!Self.lines(scratch.url.path + "/second-b.out").isEmpty)
        #expect(agent.stderrText.contains("configuration reloaded"))
        #expect(agent.stderrText.contains("new configuration rejected"))
    }
}
