import Logging
import RunnelCore
import Synchronization

/// Heka's KafkaInput on a librdkafka consumer group: each Kafka message becomes one record (the
/// raw value as Payload, with `Topic`, `Partition`, `Offset` and `Key` fields) for the configured
/// decoder (ProtobufDecoder, JsonDecoder, …). A partition's offset is committed only past records
/// whose batches every destination confirmed, in order, so a restart or a rebalance resumes with
/// no gap (and at most the unconfirmed tail read again).
public struct KafkaInput: InputPlugin {
    public let settings: KafkaInputSettings

    public init(settings: KafkaInputSettings) {
        self.settings = settings
    }

    public func run(_ context: InputContext) async throws {
        KafkaOutput.logLibraryVersion(context.logger, plugin: context.name)
        let consumer = try KafkaConsumer(properties: settings.properties, subscription: settings.subscription,
                                         offsetMethod: settings.offsetMethod, maxBatch: settings.maxBatch,
                                         hostname: context.hostname, logger: context.logger)
        let commits = OrderedCommits<KafkaPartitionPosition>()
        await withTaskCancellationHandler {
            while !Task.isCancelled, let batch = await consumer.next() {
                let tickets = batch.positions.map { position in
                    commits.begin(stream: "\(position.topic)/\(position.partition)#\(position.assignment)", position: position)
                }
                await context.deliver(batch.messages) { [tickets] _ in
                    for ticket in tickets {
                        guard let position = commits.settle(ticket) else { continue }
                        consumer.confirm(topic: position.topic, partition: position.partition,
                                         offset: position.offset, assignment: position.assignment)
                    }
                }
            }
        } onCancel: {
            consumer.stopDelivering()
        }
        // Outputs keep running while inputs stop: give them a moment to confirm the last batches
        // so their offsets are committed now rather than read again after the restart.
        let deadline = ContinuousClock.now + settings.drainTimeout
        while commits.inFlight.values.contains(where: { $0 > 0 }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await consumer.close()
    }

    /// The record as Heka's KafkaInput made it: Type `heka.kafka`, Logger the topic (for readers
    /// that hold records, like `runnel tail`; KafkaInput builds its messages on the consumer thread).
    public static func message(from record: KafkaConsumedRecord, hostname: ByteString) -> Message {
        var messages = KafkaRecordMessages(hostname: hostname)
        return messages.message(offset: record.offset, timestampMilliseconds: record.timestampMilliseconds,
                                payload: ByteString(record.value), key: record.key.map(ByteString.init),
                                names: KafkaRecordMessages.PartitionNames(topic: record.topic, partition: record.partition))
    }
}
