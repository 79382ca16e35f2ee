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
        var ids = MessageIDGenerator()
        var topicNames = TopicNameCache()
        await withTaskCancellationHandler {
            while !Task.isCancelled, let records = await consumer.next() {
                let tickets = KafkaInput.lastPositions(of: records).map { position in
                    commits.begin(stream: "\(position.topic)/\(position.partition)#\(position.assignment)", position: position)
                }
                var messages: [Message] = []
                messages.reserveCapacity(records.count)
                // By index: the array is read in place instead of each record being copied out (three
                // retains and releases per record).
                for index in records.indices {
                    messages.append(KafkaInput.message(from: records[index], hostname: hostname,
                                                       topic: topicNames.bytes(of: records[index].topic), ids: &ids))
                }
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
        var ids = MessageIDGenerator()
        return message(from: record, hostname: hostname, topic: ByteString(record.topic), ids: &ids)
    }

    /// The hot path: `topic` is the record's topic as bytes (made once per topic, not per record),
    /// the uuid comes from the input's own generator instead of a system call, and the constant
    /// names are shared buffers, so a record costs its value copy and the fields array.
    static func message(from record: KafkaConsumedRecord, hostname: ByteString, topic: ByteString,
                        ids: inout MessageIDGenerator) -> Message {
        var message = Message()
        message.uuid = ids.uuid()
        message.timestamp = record.timestampMilliseconds.flatMap { milliseconds in
            let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
            return overflow ? nil : nanoseconds
        } ?? WallClock.nowNanoseconds()
        message.type = RecordNames.type
        message.logger = topic
        message.hostname = hostname
        message.payload = ByteString(record.value)
        message.fields.reserveCapacity(record.key == nil ? 3 : 4)
        message.fields.append(Field(name: RecordNames.topic, values: .string([topic])))
        message.fields.append(Field(name: RecordNames.partition, values: .integer([Int64(record.partition)])))
        message.fields.append(Field(name: RecordNames.offset, values: .integer([record.offset])))
        if let key = record.key { message.fields.append(Field(name: RecordNames.key, values: .bytes([ByteString(key)]))) }
        return message
    }

    /// Built once: a string literal turned into a `ByteString` allocates every time.
    private enum RecordNames {
        static let type: ByteString = "heka.kafka"
        static let topic: ByteString = "Topic"
        static let partition: ByteString = "Partition"
        static let offset: ByteString = "Offset"
        static let key: ByteString = "Key"
    }

    /// Topic names as bytes. Records of a batch share their topic's string storage, so comparing
    /// with the last one seen is a pointer check in the common case.
    struct TopicNameCache {
        private var last: (name: String, bytes: ByteString)?
        private var all: [String: ByteString] = [:]

        mutating func bytes(of name: String) -> ByteString {
            if let last, last.name == name { return last.bytes }
            let bytes = all[name] ?? ByteString(name)
            if all.count < 1024 { all[name] = bytes }
            last = (name, bytes)
            return bytes
        }
    }
}
