import Foundation
import RunnelTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two agents as real processes: files → TcpOutput in one, TcpInput → FileOutput in the other.
/// The receiving agent is killed with SIGKILL mid-stream and started again on the same port; with
/// peer confirmations every line still reaches its file at least once.
@Suite(.serialized) struct TcpAgentPairTests {
    static func lines(_ path: String) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    static func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// Polls a cheap condition (file sizes, not file contents: the tests share two threads).
    static func waitFor(_ timeout: Duration, every interval: Duration = .milliseconds(50), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: interval)
        }
        return true
    }

    @Test func receivingAgentKilledMidStreamLosesNoLine() async throws {
        let scratch = try ScratchFolder()
        let root = scratch.url.path
        let total = 100_000
        try FileManager.default.createDirectory(atPath: root + "/logs", withIntermediateDirectories: true)
        let text = (0..<total).map { "line \($0) of the stream" }.joined(separator: "\n") + "\n"
        let totalBytes = text.utf8.count
        _ = try scratch.file("logs/input.log", Data(text.utf8))
        let port = try LoopbackPort.stable()
        let outputPath = root + "/out.log"

        let receiverConfig = try scratch.file("receiver.toml", """
            [runnel]
            base_dir = "\(root)/receiver"
            admin_address = "127.0.0.1:0"
            shutdown_timeout = "5s"

            [tcp]
            type = "TcpInput"
            address = "127.0.0.1:\(port)"

            \(AgentConfigs.fileOutput("file", path: outputPath))
            """)
        let senderConfig = try scratch.file("sender.toml", AgentConfigs.followingLogs(
            scratch, extraGlobal: "shutdown_timeout = \"5s\"", outputs: """
                [forward]
                type = "TcpOutput"
                address = "127.0.0.1:\(port)"
                message_matcher = "TRUE"
                confirm_by = "peer"
                use_buffering = false
                """))

        var receiver = try AgentProcess(config: receiverConfig, baseDir: root + "/receiver", logFolder: root)
        #expect(await receiver.adminAddress() != nil, "\(receiver.stderrText)")
        #expect(await Self.waitFor(.seconds(20)) { FileManager.default.fileExists(atPath: root + "/receiver/tcp.addr") })
        let sender = try AgentProcess(config: senderConfig, baseDir: root + "/state", logFolder: root)
        #expect(await sender.adminAddress() != nil, "\(sender.stderrText)")

        #expect(await Self.waitFor(.seconds(60)) { Self.size(outputPath) >= totalBytes / 3 })
        receiver.signal(SIGKILL)
        #expect(await receiver.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Self.size(outputPath) < totalBytes, "the kill must land mid-stream")

        receiver = try AgentProcess(config: receiverConfig, baseDir: root + "/receiver", logFolder: root)
        // Duplicates make the file longer than the input; read it only once it could be complete.
        var received = Set<Substring>()
        let complete = await Self.waitFor(.seconds(120), every: .milliseconds(250)) {
            guard Self.size(outputPath) >= totalBytes else { return false }
            received = Set(Self.lines(outputPath))
            return received.count >= total
        }
        #expect(complete, "\(received.count) of \(total) distinct lines arrived")
        #expect(Set(received.map(String.init)) == Set((0..<total).map { "line \($0) of the stream" }))
        // Only lines the dead receiver wrote but had not confirmed come twice.
        #expect(Self.lines(outputPath).count - received.count < total / 2)

        // Graceful stops: the sender first (everything is confirmed, so it ends at once).
        sender.signal(SIGTERM)
        #expect(await sender.waitForExit(timeout: .seconds(10)) == 0, "\(sender.stderrText)")
        receiver.signal(SIGTERM)
        #expect(await receiver.waitForExit(timeout: .seconds(10)) == 0, "\(receiver.stderrText)")
    }
}
