import Foundation
import Synchronization
import Testing
import RunnelCore
import RunnelPlugins
@testable import RunnelKafka

/// KafkaOutput against librdkafka's mock cluster: confirmations on delivery reports, the
/// dead-letter file, an outage and a fatal error.
@Suite(.serialized) struct KafkaOutputMockClusterTests {
    func settings(_ cluster: MockKafkaCluster, extra: String = "", deadLetter: String) throws -> KafkaOutputSettings {
        try KafkaConfigFixture.output("""
            addrs = ["\(cluster.bootstraps)"]
            topic = "logs.%{Fields[MARATHON_APP_ID]}"
            dead_letter_path = "\(deadLetter)"
            \(extra)
            """)
    }

    /// A producer for the mock cluster with acks=all and idempotence, plus `extra` properties.
    func idempotentProducer(_ cluster: MockKafkaCluster, _ extra: [(String, String)]) throws -> KafkaProducer {
        try KafkaProducer(properties: KafkaProperties([
            ("bootstrap.servers", cluster.bootstraps), ("enable.idempotence", "true"), ("acks", "all"),
        ] + extra), logger: .init(label: "test"))
    }

    func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("runnel-kafka-\(UUID().uuidString)").path
    }

    @Test func batchesAreConfirmedOnDeliveryReportsInKeyOrder() async throws {
        let cluster = try MockKafkaCluster()
        cluster.createTopic("logs.web.api", partitions: 3)
        let rig = OutputRig()
        let output = KafkaOutput(settings: try settings(cluster, deadLetter: scratch() + "/dl.jsonl"))
        let task = Task { try await output.run(rig.context) }
        for batch in 0..<10 { await rig.route(testMessages(500, from: batch * 500)) }
        #expect(await rig.waitForSettled(10, timeout: .seconds(30)))
        #expect(rig.deliveredTotal == 5000)
        #expect(rig.droppedTotal == 0)
        rig.queue.close()
        try await task.value

        let records = await readAll(brokers: cluster.bootstraps, topics: ["logs.web.api"], expecting: 5000)
        #expect(records.count == 5000)
        #expect(Set(records.map(\.partition)).count == 1, "one key, one partition")
        let lines = records.compactMap { try? MessageProtobuf.decode($0.value).payload?.string }
        #expect(lines.elementsEqual((0..<5000).map { "line \($0)" }), "in key order: \(lines.prefix(3))…")
        #expect(records.allSatisfy { $0.key == Array("/web/api".utf8) })
    }

    @Test func tooLargeMessagesGoToTheDeadLetterFileAndTheStreamContinues() async throws {
        let cluster = try MockKafkaCluster()
        cluster.createTopic("logs.web.api")
        let folder = scratch()
        let rig = OutputRig(encoder: PayloadEncoder())
        let output = KafkaOutput(settings: try settings(cluster, extra: "max_message_bytes = 4000", deadLetter: folder + "/dl.jsonl"))
        let task = Task { try await output.run(rig.context) }
        var messages = testMessages(10)
        messages[4] = Message.app("/web/api", payload: String(repeating: "B", count: 10_000))
        await rig.route(messages)
        await rig.route(testMessages(10, from: 10))
        #expect(await rig.waitForSettled(2, timeout: .seconds(30)))
        #expect(rig.deliveredTotal == 19)
        #expect(rig.settled.first?.dropped == ["dead_letter": 1])
        #expect(rig.counters.snapshot.dropped == ["dead_letter": 1])
        rig.queue.close()
        try await task.value

        let text = try String(contentsOfFile: folder + "/dl.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(entry["error"] as? String == "MSG_SIZE_TOO_LARGE")
        #expect(entry["topic"] as? String == "logs.web.api")
        #expect((entry["message"] as? [String: Any])?["Payload"] as? String == String(repeating: "B", count: 10_000))
        let records = await readAll(brokers: cluster.bootstraps, topics: ["logs.web.api"], expecting: 19)
        #expect(records.count == 19)
    }

    @Test func aBrokerOutageLosesNothingAndDuplicatesNothing() async throws {
        let cluster = try MockKafkaCluster()
        cluster.createTopic("logs.web.api")
        let rig = OutputRig(encoder: PayloadEncoder())
        let output = KafkaOutput(settings: try settings(cluster, deadLetter: scratch() + "/dl.jsonl"))
        let task = Task { try await output.run(rig.context) }
        for batch in 0..<5 { await rig.route(testMessages(200, from: batch * 200)) }
        #expect(await rig.waitForSettled(5, timeout: .seconds(30)))
        cluster.setBroker(up: false)
        for batch in 5..<10 { await rig.route(testMessages(200, from: batch * 200)) }
        try await Task.sleep(for: .seconds(2))
        #expect(rig.settled.count == 5, "nothing is confirmed while the broker is down")
        cluster.setBroker(up: true)
        #expect(await rig.waitForSettled(10, timeout: .seconds(60)))
        #expect(rig.deliveredTotal == 2000)
        rig.queue.close()
        try await task.value

        let records = await readAll(brokers: cluster.bootstraps, topics: ["logs.web.api"], expecting: 2000)
        let lines = records.map { String(decoding: $0.value, as: UTF8.self) }
        #expect(lines.count == 2000)
        #expect(Set(lines).count == lines.count, "idempotence: no duplicates")
        #expect(lines.elementsEqual((0..<2000).map { "line \($0)\n" }), "in order: \(lines.prefix(3))…")
    }

    @Test func aFatalErrorRebuildsTheProducerAndResendsWhatWasUnconfirmed() async throws {
        let cluster = try MockKafkaCluster()
        cluster.createTopic("t")
        let producer = try idempotentProducer(cluster, [("message.timeout.ms", "0"), ("linger.ms", "50")])
        let delivered = Counter()
        cluster.setBroker(up: false)  // keep the first batch unconfirmed when the fatal error strikes
        let records = (0..<300).map { KafkaRecord(topic: "t", key: nil, value: Array("r\($0)".utf8)) }
        await producer.send(records) { failures in delivered.add(300 - failures.count) }
        producer.triggerFatalErrorForTesting()
        try await Task.sleep(for: .milliseconds(500))
        #expect(producer.rebuilds == 1)
        cluster.setBroker(up: true)
        let deadline = ContinuousClock.now + .seconds(30)
        while delivered.value < 300 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(delivered.value == 300)
        await producer.close()
        let read = await readAll(brokers: cluster.bootstraps, topics: ["t"], expecting: 300)
        #expect(Set(read.map { String(decoding: $0.value, as: UTF8.self) }) == Set((0..<300).map { "r\($0)" }))
    }
}

extension KafkaOutputMockClusterTests {
    @Test func librdkafkaStatisticsReachTheMetricsBoard() async throws {
        let cluster = try MockKafkaCluster()
        cluster.createTopic("t")
        let producer = try KafkaProducer(properties: KafkaProperties([
            ("bootstrap.servers", cluster.bootstraps), ("statistics.interval.ms", "100"),
        ]), logger: .init(label: "test"))
        KafkaStatisticsBoard.shared.register("stats-test", producer)
        defer { KafkaStatisticsBoard.shared.unregister("stats-test") }
        await producer.send((0..<50).map { KafkaRecord(topic: "t", key: nil, value: Array("s\($0)".utf8)) }) { _ in }
        let deadline = ContinuousClock.now + .seconds(10)
        while (producer.statistics?.sentMessages ?? 0) < 50 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(producer.statistics?.sentMessages == 50)
        let lines = KafkaStatisticsBoard.shared.prometheusLines()
        #expect(lines.contains("runnel_kafka_producer_in_flight{plugin=\"stats-test\"} 0"))
        #expect(lines.contains { $0.hasPrefix("runnel_kafka_producer_rtt_avg_microseconds{plugin=\"stats-test\"}") })
        await producer.close()
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func add(_ amount: Int) { count.withLock { $0 += amount } }
    var value: Int { count.withLock { $0 } }
}

extension KafkaOutputMockClusterTests {
    /// A batch far larger than librdkafka's queue is produced in pieces that each wait for room:
    /// everything arrives, once, in order.
    @Test func aBatchLargerThanLibrdkafkasQueueArrivesWholeAndInOrder() async throws {
        let cluster = try MockKafkaCluster()
        cluster.createTopic("small-queue")
        let producer = try idempotentProducer(cluster, [("queue.buffering.max.messages", "40"), ("queue.buffering.max.kbytes", "1")])
        let failed = Counter()
        let settled = Counter()
        let records = (0..<2000).map { KafkaRecord(topic: "small-queue", key: Array("k".utf8), value: Array("q\($0)".utf8)) }
        await producer.send(records) { failures in
            failed.add(failures.count)
            settled.add(1)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while settled.value < 1 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(settled.value == 1)
        #expect(failed.value == 0)
        await producer.close()
        let read = await readAll(brokers: cluster.bootstraps, topics: ["small-queue"], expecting: 2000)
        #expect(read.map { String(decoding: $0.value, as: UTF8.self) } == (0..<2000).map { "q\($0)" })
    }
}
