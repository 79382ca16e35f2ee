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
                for index in records.indices {
                    let names = topicNames.names(of: records[index].topic, partition: records[index].partition)
                    messages.append(KafkaInput.message(from: records[index], hostname: hostname, names: names, ids: &ids))
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
        var topicNames = TopicNameCache()
        return message(from: record, hostname: hostname, names: topicNames.names(of: record.topic, partition: record.partition), ids: &ids)
    }

    /// The hot path: the topic's bytes and the `Topic` and `Partition` fields are made once per
    /// partition, not per record, the uuid comes from the input's own generator instead of a
    /// system call, and the constant names are shared buffers, so a record costs its value copy,
    /// the fields array and the offset.
    static func message(from record: KafkaConsumedRecord, hostname: ByteString, names: PartitionNames,
                        ids: inout MessageIDGenerator) -> Message {
        var message = Message()
        message.uuid = ids.uuid()
        message.timestamp = record.timestampMilliseconds.flatMap { milliseconds in
            let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
            return overflow ? nil : nanoseconds
        } ?? WallClock.nowNanoseconds()
        message.type = RecordNames.type
        message.logger = names.topic
        message.hostname = hostname
        message.payload = ByteString(record.value)
        message.fields.reserveCapacity(record.key == nil ? 3 : 4)
        message.fields.append(names.topicField)
        message.fields.append(names.partitionField)
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

    /// What every record of one partition shares: its topic as bytes and its `Topic` and
    /// `Partition` fields (their value arrays are shared, not rebuilt per record).
    struct PartitionNames {
        let topic: ByteString
        let topicField: Field
        let partitionField: Field

        init(topic: String, partition: Int32) {
            self.topic = ByteString(topic)
            topicField = Field(name: RecordNames.topic, values: .string([self.topic]))
            partitionField = Field(name: RecordNames.partition, values: .integer([Int64(partition)]))
        }
    }

    /// `PartitionNames` per partition. Records of a batch share their topic's string storage and
    /// come in runs of one partition, so comparing with the last one seen is cheap in the common case.
    struct TopicNameCache {
        private var last: (name: String, partition: Int32, names: PartitionNames)?
        private var all: [String: [Int32: PartitionNames]] = [:]
        private var cached = 0

        mutating func names(of name: String, partition: Int32) -> PartitionNames {
            if let last, last.partition == partition, last.name == name { return last.names }
            let names: PartitionNames
            if let known = all[name]?[partition] {
                names = known
            } else {
                names = PartitionNames(topic: name, partition: partition)
                if cached < 4096 {
                    all[name, default: [:]][partition] = names
                    cached += 1
                }
            }
            last = (name, partition, names)
            return names
        }
    }
}
