import Logging
import RunnelCore

/// Heka's KafkaOutput on librdkafka: each message is encoded, given a topic and key from its
/// templates and produced; a batch is confirmed to the runtime only when every message has its
/// delivery report. Messages the broker refuses for good go to the dead-letter file (counted as
/// dropped with reason `dead_letter`), never silently away.
public struct KafkaOutput: OutputPlugin {
    public let settings: KafkaOutputSettings

    public init(settings: KafkaOutputSettings) {
        self.settings = settings
    }

    public func run(_ context: OutputContext) async throws {
        KafkaOutput.logLibraryVersion(context.logger, plugin: context.name)
        let producer = try KafkaProducer(properties: settings.properties, stallTimeout: settings.stallTimeout, logger: context.logger)
        let deadLetters = DeadLetterFile(path: settings.deadLetterPath)
        KafkaStatisticsBoard.shared.register(context.name, producer)
        defer { KafkaStatisticsBoard.shared.unregister(context.name) }
        while let batch = await context.next() {
            await send(batch, producer: producer, deadLetters: deadLetters, context: context)
        }
        await withTaskCancellationHandler {
            await producer.waitUntilIdle()
        } onCancel: {
            Task { await producer.close() }
        }
        await producer.close()
    }

    private func send(_ batch: OutputBatch, producer: KafkaProducer, deadLetters: DeadLetterFile, context: OutputContext) async {
        let messages = batch.messages
        let (records, positions, refused) = pack(messages, context: context)
        let name = context.name
        let logger = context.logger
        await producer.send(records) { [records, positions, refused] failures in
            var entries = refused.map(\.entry)
            var dropped = refused.map(\.position)
            for failure in failures {
                let position = positions[failure.position]
                entries.append(DeadLetterFile.Entry(topic: records.topic(at: failure.position), reason: failure.error.message,
                                                    error: failure.error.name, message: messages[position]))
                dropped.append(position)
            }
            guard !dropped.isEmpty else { return batch.confirm() }
            do {
                try deadLetters.append(entries, output: name)
                logger.warning("messages refused for good were written to the dead-letter file",
                               metadata: ["output": "\(name)", "count": "\(dropped.count)", "path": "\(deadLetters.path)",
                                          "error": "\(entries.first.map(\.error) ?? "")"])
                batch.settle(droppedPositions: dropped.sorted(), reason: "dead_letter")
            } catch {
                logger.error("cannot write the dead-letter file; dropping the refused messages",
                             metadata: ["output": "\(name)", "count": "\(dropped.count)", "error": "\(error)"])
                batch.settle(droppedPositions: dropped.sorted(), reason: "dead_letter_unwritable")
            }
        }
    }

    /// Encodes the messages into one record batch; returns it with each record's message position
    /// and the messages the encoder refused.
    private func pack(_ messages: [Message], context: OutputContext)
        -> (KafkaRecordBatch, positions: [Int], refused: [(position: Int, entry: DeadLetterFile.Entry)]) {
        var records = KafkaRecordBatch()
        records.reserve(records: messages.count, bytes: messages.count * 256)
        var positions: [Int] = []
        positions.reserveCapacity(messages.count)
        var refused: [(position: Int, entry: DeadLetterFile.Entry)] = []
        // A constant topic or key (no placeholders) is rendered once per batch, not per message.
        let constantTopic = settings.topic.isConstant ? settings.topicName(for: Message()) : nil
        let constantKey = settings.key?.isConstant == true ? settings.keyBytes(for: Message()) : nil
        for position in messages.indices {
            let topic = constantTopic ?? settings.topicName(for: messages[position])
            let key = constantKey ?? settings.keyBytes(for: messages[position])
            if records.append(topic: topic, key: key, value: { context.encodeOne(messages[position], into: &$0) }) {
                positions.append(position)
                // The first record's size (with a margin) sizes the buffer for the rest: growing
                // it from the guess above copied each batch's bytes once more.
                if positions.count == 1 { records.reserve(records: messages.count, bytes: records.bytes.count * messages.count * 5 / 4) }
            } else {
                refused.append((position, DeadLetterFile.Entry(topic: topic, reason: "the encoder refused the message",
                                                               error: "encode_failed", message: messages[position])))
            }
        }
        return (records, positions, refused)
    }

    /// Logs the loaded librdkafka once per start, with a warning when it is too old for current brokers.
    static func logLibraryVersion(_ logger: Logger, plugin: String) {
        if let warning = KafkaLibrary.tooOldWarning {
            logger.warning("\(warning)", metadata: ["plugin": "\(plugin)"])
        } else {
            logger.info("using librdkafka \(KafkaLibrary.version)", metadata: ["plugin": "\(plugin)"])
        }
    }
}
