import RunnelCore

/// What the consumer thread hands over: the messages of a batch and, per partition (and
/// assignment) it read from, the offset of its last record there, for the commit after delivery.
struct KafkaConsumedBatch: Sendable {
    var messages: [Message] = []
    var positions: [KafkaPartitionPosition] = []

    /// Notes a record's position: records of one partition mostly come in runs, so the last entry
    /// is compared first; a partition seen earlier in the batch moves to the end, keeping the
    /// entries in the order their last records were read.
    mutating func note(topic: String, partition: Int32, offset: Int64, assignment: UInt64) {
        if let last = positions.last, last.partition == partition, last.assignment == assignment, last.topic == topic {
            positions[positions.count - 1].offset = offset
            return
        }
        if let earlier = positions.firstIndex(where: {
            $0.partition == partition && $0.assignment == assignment && $0.topic == topic
        }) {
            positions.remove(at: earlier)
        }
        positions.append(KafkaPartitionPosition(topic: topic, partition: partition, offset: offset, assignment: assignment))
    }
}

/// A partition's offset under one assignment of it.
struct KafkaPartitionPosition: Sendable {
    let topic: String
    let partition: Int32
    var offset: Int64
    let assignment: UInt64
}
