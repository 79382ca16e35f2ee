import Foundation
import Logging
import Testing
import RunnelCore
@testable import RunnelKafka

/// KafkaInput against librdkafka's mock cluster: offsets are committed only past confirmed
/// batches, and a restarted consumer resumes exactly there.
@Suite(.serialized) struct KafkaInputMockClusterTests {
    struct Pipeline {
        let queue = BatchQueue(capacityBytes: 1 << 26)
        let context: InputContext

        init(name: String) {
            let router = Router(routes: [Route(name: "sink", matcher: .matchAll, queue: queue, counters: PluginCounters(name: "sink"))])
            context = InputContext(name: name, hostname: "test-host", counters: PluginCounters(name: name), ledger: InputLedger(),
                                   checkpoints: StreamCheckpoints(store: nil), logger: Logger(label: "test"), maxMessageSize: 1 << 20,
                                   splitterFactory: { TokenSplitter(startOffset: $0) }, decoder: nil, sendDecodeFailures: false,
                                   router: router)
        }
    }

    func produce(_ count: Int, topic: String, to cluster: MockKafkaCluster) async throws {
        let producer = try KafkaProducer(properties: KafkaProperties([("bootstrap.servers", cluster.bootstraps)]), logger: Logger(label: "test"))
        let done = Counter()
        await producer.send((0..<count).map { KafkaRecord(topic: topic, key: nil, value: Array("m\($0)".utf8)) }) { _ in done.add(1) }
        let deadline = ContinuousClock.now + .seconds(20)
        while done.value == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await producer.close()
    }

    func settings(_ cluster: MockKafkaCluster) -> KafkaInputSettings {
        var properties = KafkaInputSettings.safeDefaults
        properties.set("bootstrap.servers", cluster.bootstraps)
        properties.set("group.id", "g1")
        properties.set("session.timeout.ms", "6000")
        properties.set("heartbeat.interval.ms", "500")
        return KafkaInputSettings(properties: properties, subscription: .topics(["in"], pattern: nil), offsetMethod: .manual,
                                  maxBatch: 100, drainTimeout: .milliseconds(500))
    }

    @Test func onlyConfirmedOffsetsAreCommittedAndARestartResumesThere() async throws {
        let cluster = try MockKafkaCluster()
        cluster.createTopic("in")
        try await produce(1000, topic: "in", to: cluster)

        // First run: confirm the first batches (at least 400 messages), leave the rest unconfirmed.
        let first = Pipeline(name: "first")
        let input = KafkaInput(settings: settings(cluster))
        let running = Task { try await input.run(first.context) }
        var confirmed: [Message] = []
        var held: [RoutedBatch] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while confirmed.count + held.reduce(0, { $0 + $1.messages.count }) < 1000 && ContinuousClock.now < deadline {
            guard let batch = await first.queue.pop(timeout: .milliseconds(100)) else { continue }
            if confirmed.count < 400 {
                confirmed += batch.messages
                batch.confirm()
            } else {
                held.append(batch)
            }
        }
        #expect(confirmed.count >= 400 && confirmed.count < 1000)
        running.cancel()
        _ = try? await running.value
        let offsets = confirmed.compactMap { message -> Int64? in
            if case .integer(let values)? = message.field(named: "Offset")?.values { return values.first }
            return nil
        }
        #expect(offsets == (0..<Int64(confirmed.count)).map { $0 }, "confirmed records are the first ones, in order")

        // Second run, same group: starts right after the last confirmed record.
        let second = Pipeline(name: "second")
        let again = Task { try await KafkaInput(settings: settings(cluster)).run(second.context) }
        var resumed: [Message] = []
        let deadline2 = ContinuousClock.now + .seconds(30)
        while resumed.count < 1000 - confirmed.count && ContinuousClock.now < deadline2 {
            guard let batch = await second.queue.pop(timeout: .milliseconds(100)) else { continue }
            resumed += batch.messages
            batch.confirm()
        }
        again.cancel()
        _ = try? await again.value
        let payloads = resumed.map { $0.payload?.string ?? "" }
        #expect(payloads.first == "m\(confirmed.count)", "no gap and no repeat of confirmed records")
        #expect(payloads.elementsEqual((confirmed.count..<1000).map { "m\($0)" }))
        for batch in held { batch.confirm() }
    }
}
