import Foundation
import Logging
import RunnelCore
import Synchronization

/// Real runtime pieces (router, queues, contexts) around one plugin under test.
struct PipelineHarness {
    let queue: BatchQueue
    let router: Router
    let folder: String

    init(queueBytes: Int = 1 << 24, policy: QueueFullPolicy = .block) throws {
        queue = BatchQueue(capacityBytes: queueBytes, policy: policy)
        router = Router(routes: [Route(name: "sink", matcher: .matchAll, queue: queue, counters: PluginCounters(name: "sink"))])
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-plugins-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func inputContext(name: String = "input", checkpoints: StreamCheckpoints? = nil,
                      splitter: @escaping SplitterFactory = { TokenSplitter(startOffset: $0) },
                      decoder: (any Decoder)? = nil) -> InputContext {
        InputContext(name: name, hostname: "test-host", counters: PluginCounters(name: name), ledger: InputLedger(),
                     checkpoints: checkpoints ?? StreamCheckpoints(store: CheckpointStore(directory: folder, inputName: name)),
                     logger: Logger(label: "test"), maxMessageSize: 64 * 1024, splitterFactory: splitter,
                     decoder: decoder, sendDecodeFailures: false, router: router)
    }

    func outputContext(name: String = "output", encoder: (any Encoder)?, useFraming: Bool = false) -> OutputContext {
        OutputContext(name: name, counters: PluginCounters(name: name), logger: Logger(label: "test"),
                      encoder: encoder, useFraming: useFraming, queue: queue)
    }

    /// Pops batches until `count` messages arrived (or `timeout` passed), confirming each.
    func collect(_ count: Int, timeout: Duration = .seconds(10), confirm: Bool = true) async -> [Message] {
        var messages: [Message] = []
        let deadline = ContinuousClock.now + timeout
        while messages.count < count, ContinuousClock.now < deadline {
            guard let batch = await queue.pop(timeout: .milliseconds(100)) else { continue }
            messages += batch.messages
            if confirm { batch.confirm() }
        }
        return messages
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Settles acknowledgements handed to a test, so it can check when an input's batch settled.
final class OutcomeLog: Sendable {
    private let outcomes = Mutex<[BatchOutcome]>([])
    func append(_ outcome: BatchOutcome) { outcomes.withLock { $0.append(outcome) } }
    var all: [BatchOutcome] { outcomes.withLock { $0 } }
}

extension Message {
    /// The names of the fields in order, for assertions.
    var fieldNames: [String] { fields.map(\.name.string) }
}
