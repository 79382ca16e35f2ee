import CRdKafka
import RunnelCore

/// Builds the messages KafkaInput delivers, as Heka's KafkaInput made them: Type `heka.kafka`,
/// Logger the topic, the raw value as Payload and `Topic`, `Partition`, `Offset` and `Key` fields.
///
/// The consumer thread builds them straight from librdkafka's buffers, so a record's value is
/// copied once (into the Payload) and no intermediate record is retained, copied and released on
/// the way. The topic's bytes and the `Topic` and `Partition` fields are made once per partition,
/// the uuid comes from the builder's own generator instead of a system call, and the constant names
/// are shared buffers: a record costs its payload, its fields array and its offset.
struct KafkaRecordMessages {
    let hostname: ByteString
    private var ids = MessageIDGenerator()

    init(hostname: ByteString) {
        self.hostname = hostname
    }

    /// `pointer` must be librdkafka's own (the timestamp is read from the envelope around it).
    mutating func message(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>, names: PartitionNames) -> Message {
        let record = pointer.pointee
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
        let payload = record.payload.map { ByteString(Array(copying: UnsafeRawBufferPointer(start: $0, count: record.len))) }
        let key = record.key.map { ByteString(Array(copying: UnsafeRawBufferPointer(start: $0, count: record.key_len))) }
        return message(offset: record.offset,
                       timestampMilliseconds: timestamp >= 0 && timestampType != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? timestamp : nil,
                       payload: payload ?? ByteString.empty, key: key, names: names)
    }

    mutating func message(offset: Int64, timestampMilliseconds: Int64?, payload: ByteString, key: ByteString?,
                          names: PartitionNames) -> Message {
        let nanoseconds = timestampMilliseconds.flatMap { milliseconds in
            let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
            return overflow ? nil : nanoseconds
        } ?? WallClock.nowNanoseconds()
        let offsetField = Field(name: RecordNames.offset, values: .integer([offset]))
        let fields = if let key {
            [names.topicField, names.partitionField, offsetField, Field(name: RecordNames.key, values: .bytes([key]))]
        } else {
            [names.topicField, names.partitionField, offsetField]
        }
        return Message(uuid: ids.uuid(), timestamp: nanoseconds, type: RecordNames.type, logger: names.topic,
                       payload: payload, hostname: hostname, fields: fields)
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
    /// `Partition` fields (their value arrays are shared, not rebuilt per record). A class, so that
    /// handing it over per record is one retain rather than one per buffer it holds.
    final class PartitionNames {
        let topic: ByteString
        let topicField: Field
        let partitionField: Field

        init(topic: String, partition: Int32) {
            self.topic = ByteString(topic)
            topicField = Field(name: RecordNames.topic, values: .string([self.topic]))
            partitionField = Field(name: RecordNames.partition, values: .integer([Int64(partition)]))
        }
    }
}
