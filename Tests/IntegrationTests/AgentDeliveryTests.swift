import Foundation
import RunnelTestSupport
import Testing
import RunnelCore

/// The agent as a real process on real files: kill -9 and restart loses nothing; a full queue
/// blocks or drops exactly as configured, and the ledger balances.
@Suite(.serialized) struct AgentDeliveryTests {
    static let lineWidth = 61  // "%07d " + 52 payload bytes + "\n"

    static func numberedLines(_ range: Range<Int>) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count * lineWidth)
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 52)
        for number in range {
            var digits = Array(String(number).utf8)
            digits = [UInt8](repeating: UInt8(ascii: "0"), count: 7 - digits.count) + digits
            bytes += digits
            bytes.append(UInt8(ascii: " "))
            bytes += filler
            bytes.append(0x0A)
        }
        return Data(bytes)
    }

    static func lineNumbers(in path: String) throws -> [Int] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.split(separator: 0x0A).map { line in
            line.prefix(7).reduce(0) { $0 * 10 + Int($1) - 48 }
        }
    }

    @Test func killDashNineMidFileAndRestartDeliversEveryLineWithBoundedDuplicates() async throws {
        let total = 1_000_000
        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let logPath = try scratch.file("logs/big.log", Data())
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let outputPath = scratch.url.path + "/out.log"
        let config = try scratch.file("agent.toml", AgentConfigs.followingLogs(
            scratch, outputs: AgentConfigs.fileOutput("out", path: outputPath)))
        func outputSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: outputPath)[.size] as? Int) ?? 0 }
        let deadline = ContinuousClock.now + .seconds(240)

        // The log grows while the agent follows it; the kill comes when half of it is written, so
        // it always lands mid-stream, however the machine schedules this test.
        let first = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
        #expect(await first.adminAddress() != nil, "\(first.stderrText)")
        let half = total / 2
        for start in stride(from: 0, to: half, by: 50_000) {
            try log.write(contentsOf: Self.numberedLines(start..<(start + 50_000)))
            try await Task.sleep(for: .milliseconds(20))
        }
        while outputSize() < half / 2 * Self.lineWidth && ContinuousClock.now < deadline && first.process.isRunning {
            try await Task.sleep(for: .milliseconds(5))
        }
        first.signal(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(10)) != nil)

        let writtenAtKill = try Self.lineNumbers(in: outputPath).count
        #expect(writtenAtKill >= half / 2 && writtenAtKill <= half)
        // No checkpoint file yet means nothing was saved: the restart reads from the start.
        let checkpoint = (try? String(contentsOfFile: scratch.url.path + "/state/checkpoints/logs.checkpoint", encoding: .utf8)) ?? ""
        let offset = checkpoint.isEmpty ? 0 : Int(checkpoint.split(separator: " ")[1]) ?? -1
        #expect(offset % Self.lineWidth == 0, "checkpoints fall on line boundaries")
        let checkpointedLines = offset / Self.lineWidth
        #expect(checkpointedLines <= writtenAtKill, "the checkpoint never runs ahead of what the output confirmed")

        try log.write(contentsOf: Self.numberedLines(half..<total))
        try log.close()
        let second = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
        #expect(await second.adminAddress() != nil, "\(second.stderrText)")
        let expectedTotal = total + writtenAtKill - checkpointedLines
        while outputSize() < expectedTotal * Self.lineWidth && ContinuousClock.now < deadline && second.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0, "\(second.stderrText)")

        let numbers = try Self.lineNumbers(in: outputPath)
        let distinct = Set(numbers)
        #expect(distinct.count == total, "every input line is in the output")
        #expect(distinct.min() == 0 && distinct.max() == total - 1)
        let duplicates = numbers.count - total
        #expect(duplicates == writtenAtKill - checkpointedLines,
                "duplicates are exactly the lines written after the last saved checkpoint")
        print("kill -9 test: \(writtenAtKill) lines written at the kill, checkpoint at \(checkpointedLines), duplicates \(duplicates)")
    }

    /// Reads the agent's stdout pipe to its end on a thread of its own, after `delay`.
    static func drain(_ pipe: Pipe, after delay: Duration) -> Task<Data, Never> {
        Task.detached {
            try? await Task.sleep(for: delay)
            let handle = pipe.fileHandleForReading
            return await onOwnThread { handle.readDataToEndOfFile() }
        }
    }

    static func consoleConfig(_ scratch: ScratchFolder, policy: String) -> String {
        AgentConfigs.followingLogs(scratch, outputs: """
            [console]
            type = "LogOutput"
            message_matcher = "TRUE"
            encoder = "PayloadEncoder"
            queue_bytes = "64KiB"
            queue_full_action = "\(policy)"
            """)
    }

    @Test func fullQueueWithBlockSlowsTheInputAndLosesNothing() async throws {
        let total = 50_000
        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        _ = try scratch.file("logs/app.log", Self.numberedLines(0..<total))
        let config = try scratch.file("agent.toml", Self.consoleConfig(scratch, policy: "block"))
        let pipe = Pipe()
        let agent = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path,
                                     stdout: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        let reader = Self.drain(pipe, after: .seconds(2))

        // Nobody reads stdout yet: the output is stuck, its queue full, the input held back.
        try await Task.sleep(for: .seconds(1))
        let console = try #require(await agent.pluginStatus("console"))
        let logs = try #require(await agent.pluginStatus("logs"))
        let queueBytes = try #require(console["queue_bytes"] as? Int)
        #expect(queueBytes <= 64 * 1024)
        let ledger = try #require(logs["ledger"] as? [String: Int])
        #expect(ledger["read"]! < total, "the input was slowed down")
        #expect((console["dropped"] as? [String: Int])?.isEmpty == true)

        // Once stdout is read, everything arrives.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let delivered = (await agent.pluginStatus("logs"))?["ledger"] as? [String: Int], delivered["delivered"] == total { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        agent.signal(SIGTERM)
        #expect(await agent.waitForExit(timeout: .seconds(30)) == 0)
        let output = await reader.value
        #expect(output.split(separator: 0x0A).count == total)
    }

    @Test func fullQueueWithDropCountsDropsAndTheLedgerBalances() async throws {
        let total = 50_000
        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        _ = try scratch.file("logs/app.log", Self.numberedLines(0..<total))
        let config = try scratch.file("agent.toml", Self.consoleConfig(scratch, policy: "drop"))
        let pipe = Pipe()
        let agent = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path,
                                     stdout: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        let reader = Self.drain(pipe, after: .seconds(2))

        let deadline = ContinuousClock.now + .seconds(60)
        var ledger: [String: Int] = [:]
        while ContinuousClock.now < deadline {
            ledger = ((await agent.pluginStatus("logs"))?["ledger"] as? [String: Int]) ?? [:]
            if ledger["read"] == total && ledger["in_flight"] == 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let console = try #require(await agent.pluginStatus("console"))
        agent.signal(SIGTERM)
        #expect(await agent.waitForExit(timeout: .seconds(30)) == 0)
        let printed = (await reader.value).split(separator: 0x0A).count

        let dropped = (console["dropped"] as? [String: Int])?["queue_full"] ?? 0
        #expect(dropped > 0, "a stuck output with drop policy drops")
        #expect(ledger["read"] == total)
        #expect(ledger["delivered"]! + ledger["dropped"]! == total, "read = delivered + dropped + in flight (0)")
        #expect(ledger["dropped"] == dropped)
        #expect(printed == ledger["delivered"])
    }
}
