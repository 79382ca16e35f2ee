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
                                         logger: context.logger)
        let commits = OrderedCommits<PartitionPosition>()
        let hostname = context.hostname
        await withTaskCancellationHandler {
            while !Task.isCancelled, let records = await consumer.next() {
                let tickets = KafkaInput.lastPositions(of: records).map { position in
                    commits.begin(stream: "\(position.topic)/\(position.partition)#\(position.assignment)", position: position)
                }
                let messages = records.map { KafkaInput.message(from: $0, hostname: hostname) }
                await context.deliver(messages) { [tickets] _ in
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

    /// The last record of each partition (and assignment) in a batch; records of one partition
    /// mostly come in runs, so a string key is made per run, not per record.
    static func lastPositions(of records: [KafkaConsumedRecord]) -> [PartitionPosition] {
        var positions: [PartitionPosition] = []
        for record in records {
            if let last = positions.last, last.partition == record.partition, last.assignment == record.assignment,
               last.topic == record.topic {
                positions[positions.count - 1] = PartitionPosition(topic: last.topic, partition: last.partition,
                                                                   offset: record.offset, assignment: last.assignment)
                continue
            }
            if let earlier = positions.firstIndex(where: {
                $0.partition == record.partition && $0.assignment == record.assignment && $0.topic == record.topic
            }) {
                positions.remove(at: earlier)
            }
            positions.append(PartitionPosition(topic: record.topic, partition: record.partition, offset: record.offset,
                                               assignment: record.assignment))
        }
        return positions
    }

    struct PartitionPosition: Sendable {
        let topic: String
        let partition: Int32
        let offset: Int64
        let assignment: UInt64
    }

    /// The record as Heka's KafkaInput made it: Type `heka.kafka`, Logger the topic.
    public static func message(from record: KafkaConsumedRecord, hostname: ByteString) -> Message {
        var message = Message()
        message.uuid = .random()
        message.timestamp = record.timestampMilliseconds.flatMap { milliseconds in
            let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
            return overflow ? nil : nanoseconds
        } ?? WallClock.nowNanoseconds()
        message.type = "heka.kafka"
        message.logger = ByteString(record.topic)
        message.hostname = hostname
        message.payload = ByteString(record.value)
        message.addField(.string("Topic", ByteString(record.topic)))
        message.addField(.integer("Partition", Int64(record.partition)))
        message.addField(.integer("Offset", record.offset))
        if let key = record.key { message.addField(.bytes("Key", key)) }
        return message
    }
}
