import CRdKafka

/// One message read from Kafka, with where it came from.
public struct KafkaConsumedRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Milliseconds since the epoch (the producer's create time or the broker's append time), if any.
    public var timestampMilliseconds: Int64?
    /// Which assignment of the partition the record was read under: offsets of an earlier
    /// assignment are never stored after a rebalance handed the partition back.
    public var assignment: UInt64
}

extension KafkaConsumedRecord {
    /// Copies a consumed message. `pointer` must be librdkafka's own (the timestamp is read from
    /// the envelope around it); `topic` is its topic's name, looked up by the caller.
    init(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>, topic: String, assignment: UInt64) {
        let message = pointer.pointee
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
        self.init(topic: topic, partition: message.partition, offset: message.offset,
                  key: message.key.map { Array(copying: UnsafeRawBufferPointer(start: $0, count: message.key_len)) },
                  value: message.payload.map { Array(copying: UnsafeRawBufferPointer(start: $0, count: message.len)) } ?? [],
                  timestampMilliseconds: timestamp >= 0 && timestampType != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? timestamp : nil,
                  assignment: assignment)
    }
}

/// Where a consumer starts in a partition it has no committed offset for, or always.
public enum KafkaOffsetMethod: String, Sendable {
    /// Resume from the group's committed offset; the oldest message when there is none (Heka's `Manual`).
    case manual = "Manual"
    /// Start from the oldest message when the partition is first assigned.
    case oldest = "Oldest"
    /// Start after the newest message when the partition is first assigned.
    case newest = "Newest"
}

/// What a consumer reads: named topics, a regex over topic names, or fixed partitions.
public enum KafkaSubscription: Sendable, Equatable {
    case topics([String], pattern: String?)
    case partitions([(topic: String, partition: Int32)])

    public static func == (lhs: KafkaSubscription, rhs: KafkaSubscription) -> Bool {
        switch (lhs, rhs) {
        case let (.topics(a, p), .topics(b, q)): return a == b && p == q
        case let (.partitions(a), .partitions(b)): return a.map(\.topic) == b.map(\.topic) && a.map(\.partition) == b.map(\.partition)
        default: return false
        }
    }
}
