import Foundation
import Logging
import RunnelCore
import RunnelElasticsearch
import Synchronization

/// Runs an ElasticSearchOutput on a real queue and context, feeding it batches whose settlements
/// the test can read (the ledger an input would keep).
final class OutputHarness: Sendable {
    let queue: BatchQueue
    let context: OutputContext
    let counters: PluginCounters
    let outcomes = SettledOutcomes()
    let folder: String

    init(encoder: any Encoder, queueBytes: Int = 64 << 20) throws {
        queue = BatchQueue(capacityBytes: queueBytes)
        counters = PluginCounters(name: "es")
        context = OutputContext(name: "es", counters: counters, logger: Logger(label: "es-test"), encoder: encoder,
                                useFraming: false, queue: queue)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-es-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    var deadLetterPath: String { folder + "/dead-letter.ndjson" }

    func options(server: String) -> ElasticsearchOutput.Options {
        var options = ElasticsearchOutput.Options(deadLetterPath: deadLetterPath)
        options.servers = [server]
        options.flushInterval = .milliseconds(20)
        options.retry = RetryPolicy(delay: .milliseconds(10), maxDelay: .milliseconds(200), maxJitter: .milliseconds(10), maxRetries: -1)
        return options
    }

    func push(_ messages: [Message]) async {
        let outcomes = outcomes
        let acknowledgement = BatchAcknowledgement(messageCount: messages.count) { outcome in outcomes.append(outcome) }
        let batch = RoutedBatch(messages: messages, origins: Array(messages.indices), acknowledgement: acknowledgement,
                                byteSize: messages.reduce(0) { $0 + $1.estimatedByteSize })
        _ = await queue.push(batch)
    }

    var settledMessages: Int { outcomes.all.reduce(0) { $0 + $1.messages } }
    var delivered: Int { outcomes.all.reduce(0) { $0 + $1.delivered } }
    var dropped: [String: Int] {
        outcomes.all.reduce(into: [:]) { total, outcome in total.merge(outcome.dropped, uniquingKeysWith: +) }
    }

    /// Waits until `count` messages settled (true) or the deadline passed.
    func waitSettled(_ count: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while settledMessages < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return settledMessages >= count
    }

    var deadLetterLines: [String] {
        ((try? String(contentsOfFile: deadLetterPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Batch settlements as an input would see them.
final class SettledOutcomes: Sendable {
    private let outcomes = Mutex<[BatchOutcome]>([])
    func append(_ outcome: BatchOutcome) { outcomes.withLock { $0.append(outcome) } }
    var all: [BatchOutcome] { outcomes.withLock { $0 } }
}
