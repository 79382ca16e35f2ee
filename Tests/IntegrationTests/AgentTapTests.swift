import Foundation
import RunnelCore
import RunnelTestSupport
import Testing

/// `runnel tap` against a running agent, and the admin endpoint's other pages.
@Suite struct AgentTapTests {
    @Test func tapStreamsTheMessagesAMatcherSelects() async throws {
        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let logPath = try scratch.file("logs/app.log", Data())
        let config = try scratch.file("agent.toml", AgentConfigs.followingLogs(
            scratch, outputs: AgentConfigs.fileOutput("sink", path: scratch.url.path + "/out.log")))
        let agent = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
        let admin = try #require(await agent.adminAddress(), "\(agent.stderrText)")

        async let tapped = RunnelProcess.run(["tap", "--admin", admin, "--matcher", "Payload =~ /special/",
                                              "--plugin", "sink", "--format", "json", "-n", "3"])
        try await Task.sleep(for: .milliseconds(500))
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        for round in 0..<20 {
            try log.write(contentsOf: Data("plain \(round)\nspecial \(round)\n".utf8))
            try await Task.sleep(for: .milliseconds(50))
        }
        let result = try await tapped
        #expect(result.status == 0, "\(result.stderr)")
        let messages = try result.stdoutText.split(separator: "\n").map { try MessageJSON.decode(Array($0.utf8)) }
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0.payload?.string.hasPrefix("special") == true })

        let metrics = try #require(await agent.admin("/metrics"))
        #expect(metrics.contains("runnel_messages_delivered_total{plugin=\"sink\",type=\"FileOutput\",category=\"output\"}"))
        #expect(await agent.admin("/healthz") == "ok\n")
        #expect(try #require(await agent.admin("/")).contains("<table>"))

        let badTap = try await RunnelProcess.run(["tap", "--admin", admin, "--matcher", "Type = 'x'"])
        #expect(badTap.status != 0)
        agent.signal(SIGTERM)
        #expect(await agent.waitForExit(timeout: .seconds(30)) == 0)
    }
}
