import Foundation
import Logging
import RunnelCore
import Synchronization
@testable import RunnelKafka

/// A KafkaOutput running on the real runtime pieces: a router feeding its queue, acknowledgements
/// recorded per input batch.
final class OutputRig: Sendable {
    let queue = BatchQueue(capacityBytes: 1 << 26)
    let counters = PluginCounters(name: "kafka")
    let router: Router
    let context: OutputContext
    private let outcomes = OutcomeList()

    init(encoder: (any RunnelCore.Encoder)? = nil) {
        router = Router(routes: [Route(name: "kafka", matcher: .matchAll, queue: queue, counters: counters)])
        context = OutputContext(name: "kafka", counters: counters, logger: Logger(label: "test"), encoder: encoder,
                                useFraming: false, queue: queue)
    }

    func route(_ messages: [Message]) async {
        let outcomes = outcomes
        await router.route(messages, acknowledgement: BatchAcknowledgement(messageCount: messages.count) { outcome in
            outcomes.append(outcome)
        })
    }

    var settled: [BatchOutcome] { outcomes.all }
    var deliveredTotal: Int { settled.reduce(0) { $0 + $1.delivered } }
    var droppedTotal: Int { settled.reduce(0) { $0 + $1.droppedTotal } }

    /// Waits until `batches` input batches settled or the time is up.
    func waitForSettled(_ batches: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while settled.count < batches && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return settled.count >= batches
    }
}

/// Reads every record of topics from the start (the tail reader, with no group).
func readAll(brokers: String, topics: [String], expecting count: Int, timeout: Duration = .seconds(20)) async -> [KafkaConsumedRecord] {
    await Task.detached {
        guard let reader = try? KafkaTailReader(brokers: brokers, topics: topics, prefix: nil, last: Int64.max / 2) else { return [] }
        var records: [KafkaConsumedRecord] = []
        let deadline = ContinuousClock.now + timeout
        while records.count < count && ContinuousClock.now < deadline {
            records += reader.poll(wait: .milliseconds(100))
        }
        return records
    }.value
}

func testMessages(_ count: Int, app: String = "/web/api", from start: Int = 0, size: Int = 0) -> [Message] {
    (start..<(start + count)).map { index in
        Message.app(app, payload: "line \(index)" + String(repeating: "x", count: size))
    }
}

final class OutcomeList: Sendable {
    private let outcomes = Mutex<[BatchOutcome]>([])
    func append(_ outcome: BatchOutcome) { outcomes.withLock { $0.append(outcome) } }
    var all: [BatchOutcome] { outcomes.withLock { $0 } }
}
