import Foundation
import Testing
import RunnelCore
import RunnelTestSupport
@testable import RunnelKafka

#if canImport(Glibc)
import Glibc
#endif

/// Two real agents and a real broker (Tansu): file → agent → KafkaOutput → Tansu → KafkaInput in a
/// second agent → file. Runs with RUNNEL_INTEGRATION=1 (`make test`); RUNNEL_LONG=1 uses the issue's
/// full counts (200,000 messages, a 30 s outage).
@Suite(.serialized, .enabled(if: TestTansu.integration)) struct KafkaAgentIntegrationTests {
    static let apps = ["/web/api", "/web/front", "/billing"]

    struct Stack {
        let scratch: ScratchFolder
        let tansu: TestTansu
        let logs: String
        let output: String

        init() async throws {
            scratch = try ScratchFolder()
            tansu = try await TestTansu(logFolder: scratch.url.path)
            try await tansu.waitUntilReady()
            logs = scratch.url.path + "/logs"
            output = scratch.url.path + "/out.jsonl"
            try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        }

        func producer(extra: String = "") throws -> AgentProcess {
            let state = scratch.url.path + "/producer"
            let config = try scratch.file("producer.toml", KafkaAgents.producerConfig(state: state, logs: logs, brokers: tansu.address, extra: extra))
            return try AgentProcess(config: config, baseDir: state, logFolder: scratch.url.path)
        }

        func consumer() throws -> AgentProcess {
            let state = scratch.url.path + "/consumer"
            let config = try scratch.file("consumer.toml", KafkaAgents.consumerConfig(state: state, output: output, brokers: tansu.address))
            return try AgentProcess(config: config, baseDir: state, logFolder: scratch.url.path)
        }

        func write(_ range: Range<Int>) throws {
            try KafkaAgents.append(KafkaAgents.lines(apps: KafkaAgentIntegrationTests.apps, perApp: range), to: logs + "/apps.log")
        }
    }

    /// Every (app, seq) of `0..<perApp` appears; returns the number of repeats. Per app, the first
    /// occurrences are in order.
    static func checkComplete(_ records: [(app: String, seq: Int)], perApp: Int, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var duplicates = 0
        for app in apps {
            let seqs = records.filter { $0.app == app }.map(\.seq)
            var seen = Set<Int>()
            var firsts: [Int] = []
            for seq in seqs { if seen.insert(seq).inserted { firsts.append(seq) } else { duplicates += 1 } }
            #expect(firsts.count == perApp, "\(app): \(firsts.count) of \(perApp) distinct lines", sourceLocation: sourceLocation)
            #expect(firsts == firsts.sorted(), "\(app): lines in order", sourceLocation: sourceLocation)
        }
        return duplicates
    }

    @Test func endToEndPerAppTopicsExactlyOnceInKeyOrderWithADeadLetter() async throws {
        let stack = try await Stack()
        defer { stack.tansu.stop() }
        let perApp = 2000
        try stack.write(0..<perApp)
        // One line far over max_message_bytes: it goes to the dead-letter file, the rest flows on.
        try KafkaAgents.append("{\"app\":\"/web/api\",\"seq\":-1,\"pad\":\"\(String(repeating: "p", count: 200_000))\"}\n",
                               to: stack.logs + "/apps.log")
        let producer = try stack.producer()
        let consumer = try stack.consumer()
        defer { producer.signal(SIGKILL); consumer.signal(SIGKILL) }
        #expect(await producer.adminAddress() != nil, "\(producer.stderrText)")
        let expected = perApp * Self.apps.count
        let allThere = await KafkaAgents.wait(.seconds(90)) { KafkaAgents.outputRecords(stack.output).count >= expected }
        #expect(allThere, "consumer wrote \(KafkaAgents.outputRecords(stack.output).count) of \(expected)\n\(producer.stderrText)\n\(consumer.stderrText)")
        try await Task.sleep(for: .seconds(1))
        let records = KafkaAgents.outputRecords(stack.output)
        #expect(records.count == expected, "exactly once")
        #expect(Self.checkComplete(records, perApp: perApp) == 0)

        let deadLetters = (try? String(contentsOfFile: stack.scratch.url.path + "/producer/dead-letter/kout.jsonl", encoding: .utf8)) ?? ""
        #expect(deadLetters.split(separator: "\n").count == 1)
        #expect(deadLetters.contains("MSG_SIZE_TOO_LARGE"))
        let dropped = await producer.pluginStatus("kout")?["dropped"] as? [String: Any]
        #expect((dropped?["dead_letter"] as? NSNumber)?.intValue == 1)

        // Per-app topics, read back with `runnel tail`.
        let tail = try await RunnelProcess.run(["tail", "--brokers", stack.tansu.address, "--app", "/web/front", "-n", "3", "--format", "json"])
        #expect(tail.status == 0, "\(tail.stderr)")
        let tailed = tail.stdoutText.split(separator: "\n")
        #expect(tailed.count == 3)
        #expect(tailed.allSatisfy { $0.contains("\"app\":\"/web/front\"") })
        #expect(tailed.last?.contains("\"seq\":\(perApp - 1)") == true)
        let topics = try KafkaTailReader(brokers: stack.tansu.address, topics: [], prefix: "runnel.logs.", last: 0).partitions.map(\.topic)
        #expect(Set(topics) == ["runnel.logs.web.api", "runnel.logs.web.front", "runnel.logs.billing"])

        producer.signal(SIGTERM)
        consumer.signal(SIGTERM)
        #expect(await producer.waitForExit(timeout: .seconds(20)) == 0)
        #expect(await consumer.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test func aBrokerOutageMidStreamLosesNothing() async throws {
        let stack = try await Stack()
        defer { stack.tansu.stop() }
        let perApp = TestTansu.long ? 200_000 / 3 : 20_000 / 3
        let outage: Duration = TestTansu.long ? .seconds(30) : .seconds(4)
        let producer = try stack.producer()
        let consumer = try stack.consumer()
        defer { producer.signal(SIGKILL); consumer.signal(SIGKILL) }
        #expect(await producer.adminAddress() != nil)
        try stack.write(0..<(perApp / 2))
        _ = await KafkaAgents.wait(.seconds(60)) { await KafkaAgents.counter(producer, plugin: "kout", "delivered") >= perApp }
        // The broker stops answering (its memory storage would not survive a restart) while the
        // rest of the lines are written.
        stack.tansu.pause()
        try stack.write((perApp / 2)..<perApp)
        try await Task.sleep(for: outage)
        let duringOutage = await KafkaAgents.counter(producer, plugin: "kout", "delivered")
        stack.tansu.resume()
        let expected = perApp * Self.apps.count
        let allThere = await KafkaAgents.wait(.seconds(120)) { KafkaAgents.outputRecords(stack.output).count >= expected }
        #expect(allThere, "\(KafkaAgents.outputRecords(stack.output).count) of \(expected)\n\(producer.stderrText)")
        #expect(duringOutage < expected, "the outage held deliveries back")
        try await Task.sleep(for: .seconds(1))
        let records = KafkaAgents.outputRecords(stack.output)
        let duplicates = Self.checkComplete(records, perApp: perApp)
        #expect(duplicates == 0, "idempotent producer on one broker: \(duplicates) duplicates")
    }

    @Test func aRestartedBrokerGetsEverythingNotConfirmedBeforeItDied() async throws {
        let stack = try await Stack()
        defer { stack.tansu.stop() }
        let perApp = 3000
        let producer = try stack.producer(extra: "stall_timeout = \"5s\"")
        defer { producer.signal(SIGKILL) }
        #expect(await producer.adminAddress() != nil)
        try stack.write(0..<1000)
        #expect(await KafkaAgents.wait(.seconds(60)) { await KafkaAgents.counter(producer, plugin: "kout", "delivered") == 3000 })
        // Killed: a fresh Tansu is empty, so only what is written from now on can be checked.
        try await stack.tansu.restart(after: .zero)
        stack.tansu.stop()
        try stack.write(1000..<perApp)
        try await stack.tansu.restart(after: .seconds(3))
        #expect(await KafkaAgents.wait(.seconds(90)) { await KafkaAgents.counter(producer, plugin: "kout", "delivered") == perApp * 3 },
                "\(producer.stderrText)")
        let consumer = try stack.consumer()
        defer { consumer.signal(SIGKILL) }
        let expected = (perApp - 1000) * Self.apps.count
        #expect(await KafkaAgents.wait(.seconds(60)) { KafkaAgents.outputRecords(stack.output).count >= expected })
        let records = KafkaAgents.outputRecords(stack.output)
        for app in Self.apps {
            let seqs = Set(records.filter { $0.app == app }.map(\.seq))
            #expect(seqs.isSuperset(of: 1000..<perApp), "\(app): every line written while the broker was gone arrived")
        }
    }

    @Test func producerAgentKilledWithSigkillLosesNothing() async throws {
        let stack = try await Stack()
        defer { stack.tansu.stop() }
        let perApp = 6000
        try stack.write(0..<perApp)
        let first = try stack.producer()
        defer { first.signal(SIGKILL) }
        #expect(await first.adminAddress() != nil)
        _ = await KafkaAgents.wait(.seconds(60)) { await KafkaAgents.counter(first, plugin: "kout", "delivered") >= 3000 }
        first.signal(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(10)) != nil)
        // Only lines after the checkpoint the first agent saved may be produced twice. (A fast agent
        // can send the whole file before its first checkpoint, so no fixed share is asserted.)
        let saved = CheckpointStore(directory: stack.scratch.url.path + "/producer/checkpoints", inputName: "lines").load()
        let offset = Int(saved.values.first?.first ?? 0)
        let log = try Data(contentsOf: URL(fileURLWithPath: stack.logs + "/apps.log"))
        let afterCheckpoint = log.dropFirst(offset).filter { $0 == UInt8(ascii: "\n") }.count
        let second = try stack.producer()
        defer { second.signal(SIGKILL) }
        let consumer = try stack.consumer()
        defer { consumer.signal(SIGKILL) }
        let expected = perApp * Self.apps.count
        let allThere = await KafkaAgents.wait(.seconds(90)) {
            Set(KafkaAgents.outputRecords(stack.output).map { "\($0.app)#\($0.seq)" }).count >= expected
        }
        #expect(allThere, "\(second.stderrText)")
        let duplicates = Self.checkComplete(KafkaAgents.outputRecords(stack.output), perApp: perApp)
        // Lines read after the last saved checkpoint are produced again: at least once, no more.
        #expect(duplicates <= afterCheckpoint, "\(duplicates) repeats, \(afterCheckpoint) lines after the checkpoint")
    }

    /// Produces `perApp` lines per app, starts a consumer agent, stops it with `signal` once a
    /// `fraction` of the topic is written out, starts a second one and waits until every line is
    /// there. Returns the output records and how many there were at the stop.
    func consumeWithARestart(perApp: Int, fraction: Int, signal: Int32) async throws -> (records: [(app: String, seq: Int)], atStop: Int) {
        let stack = try await Stack()
        defer { stack.tansu.stop() }
        try stack.write(0..<perApp)
        let producer = try stack.producer()
        defer { producer.signal(SIGKILL) }
        let expected = perApp * Self.apps.count
        #expect(await KafkaAgents.wait(.seconds(90)) { await KafkaAgents.counter(producer, plugin: "kout", "delivered") == expected })
        let first = try stack.consumer()
        defer { first.signal(SIGKILL) }
        #expect(await first.adminAddress() != nil)
        _ = await KafkaAgents.wait(.seconds(60)) { KafkaAgents.outputRecords(stack.output).count >= expected / fraction }
        first.signal(signal)
        let status = await first.waitForExit(timeout: .seconds(30))
        #expect(status != nil && (signal == SIGKILL || status == 0), "\(first.stderrText)")
        let atStop = KafkaAgents.outputRecords(stack.output).count
        #expect(atStop < expected, "stopped mid-topic")
        let second = try stack.consumer()
        defer { second.signal(SIGKILL) }
        let allThere = await KafkaAgents.wait(.seconds(90)) {
            Set(KafkaAgents.outputRecords(stack.output).map { "\($0.app)#\($0.seq)" }).count >= expected
        }
        #expect(allThere, "\(second.stderrText)")
        try await Task.sleep(for: .seconds(1))
        return (KafkaAgents.outputRecords(stack.output), atStop)
    }

    @Test func consumerAgentKilledMidTopicResumesFromCommittedOffsets() async throws {
        // Enough records that the kill lands mid-topic on an idle machine too (the consumer writes
        // well over 100,000 a second).
        let perApp = 60_000
        let (records, atKill) = try await consumeWithARestart(perApp: perApp, fraction: 10, signal: SIGKILL)
        let duplicates = Self.checkComplete(records, perApp: perApp)
        // Committed offsets trail confirmations by at most the commit interval: the repeats are
        // the records after the last commit, never a gap.
        #expect(duplicates <= atKill, "\(duplicates) repeats after the restart")
    }

    @Test func consumerAgentStoppedGracefullyCommitsEverythingItWrote() async throws {
        let perApp = 40_000
        let (records, _) = try await consumeWithARestart(perApp: perApp, fraction: 10, signal: SIGTERM)
        // Everything written before the stop was committed at the stop: nothing is read twice.
        #expect(Self.checkComplete(records, perApp: perApp) == 0)
    }
}
