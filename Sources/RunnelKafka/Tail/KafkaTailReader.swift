import CRdKafka
import Foundation

/// Reads topics from a chosen point without joining a consumer group or committing anything
/// (`runnel tail`): partitions are assigned directly, starting `last` records before each one's end.
/// Blocking calls: meant for a command's own thread, not for the agent's cooperative pool.
public final class KafkaTailReader {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let client: OpaquePointer
    /// Per `topic/partition`: the end offset when reading started (the backlog ends there).
    private var backlogEnds: [String: Int64] = [:]
    public private(set) var partitions: [(topic: String, partition: Int32)] = []

    /// `topics` are exact names; `prefix` adds every existing topic starting with it.
    public init(brokers: String, topics: [String], prefix: String?, last: Int64?, timeout: Duration = .seconds(10),
                properties extra: [(String, String)] = []) throws(Failure) {
        var properties = KafkaProperties([
            ("bootstrap.servers", brokers),
            ("group.id", "runnel-tail"),  // required by the API; never joined (partitions are assigned)
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
        ])
        for (name, value) in extra { properties.set(name, value) }
        let handle: OpaquePointer
        do {
            handle = try newKafkaClient(RD_KAFKA_CONSUMER, try properties.makeConfiguration())
        } catch {
            throw Failure(description: "\(error)")
        }
        client = handle
        let timeoutMilliseconds = Int32(timeout.components.seconds * 1000)
        let found = try Self.partitions(of: handle, topics: topics, prefix: prefix, timeout: timeoutMilliseconds)
        guard !found.isEmpty else {
            rd_kafka_destroy(handle)
            throw Failure(description: "no such topic on \(brokers): \((topics + (prefix.map { ["\($0)*"] } ?? [])).joined(separator: ", "))")
        }
        partitions = found
        let list = rd_kafka_topic_partition_list_new(Int32(found.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (topic, partition) in found {
            var low: Int64 = 0
            var high: Int64 = 0
            let status = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeoutMilliseconds)
            guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
                rd_kafka_destroy(handle)
                throw Failure(description: "cannot read the offsets of \(topic)/\(partition): \(KafkaError(status))")
            }
            let start = last.map { max(low, high - $0) } ?? high
            if start < high { backlogEnds["\(topic)/\(partition)"] = high }
            rd_kafka_topic_partition_list_add(list, topic, partition)!.pointee.offset = start
        }
        let status = rd_kafka_assign(handle, list)
        guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
            rd_kafka_destroy(handle)
            throw Failure(description: "cannot assign partitions: \(KafkaError(status))")
        }
    }

    deinit {
        _ = rd_kafka_consumer_close(client)
        rd_kafka_destroy(client)
    }

    private static func partitions(of handle: OpaquePointer, topics: [String], prefix: String?,
                                   timeout: Int32) throws(Failure) -> [(topic: String, partition: Int32)] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let status = rd_kafka_metadata(handle, 1, nil, &metadata, timeout)
        guard status == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw Failure(description: "cannot read the broker's topics: \(KafkaError(status))")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var found: [(String, Int32)] = []
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            let name = String(cString: topic.topic)
            guard topics.contains(name) || prefix.map({ name.hasPrefix($0) }) == true,
                  topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            for partition in 0..<Int(topic.partition_cnt) { found.append((name, topic.partitions[partition].id)) }
        }
        return found.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    /// True once every record that existed when reading started has been returned.
    public var backlogDone: Bool { backlogEnds.isEmpty }

    /// Records that arrived within `wait`, up to `max`.
    public func poll(wait: Duration, max: Int = 1000) -> [KafkaConsumedRecord] {
        var records: [KafkaConsumedRecord] = []
        var waitMilliseconds = Int32(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)
        while records.count < max, let message = rd_kafka_consumer_poll(client, waitMilliseconds) {
            waitMilliseconds = 0
            defer { rd_kafka_message_destroy(message) }
            let m = message.pointee
            guard m.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            let topic = String(cString: rd_kafka_topic_name(m.rkt))
            let name = "\(topic)/\(m.partition)"
            if let end = backlogEnds[name], m.offset + 1 >= end { backlogEnds[name] = nil }
            records.append(KafkaConsumedRecord(message, topic: topic, assignment: 0))
        }
        return records
    }
}
