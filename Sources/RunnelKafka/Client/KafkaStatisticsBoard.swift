import Synchronization

/// The running producers by plugin name, so the agent's `/metrics` can show librdkafka's figures
/// (set `statistics.interval.ms` in `[X.librdkafka]` to have them).
public final class KafkaStatisticsBoard: Sendable {
    public static let shared = KafkaStatisticsBoard()

    private let producers = Mutex<[String: KafkaProducer]>([:])

    func register(_ plugin: String, _ producer: KafkaProducer) {
        producers.withLock { $0[plugin] = producer }
    }

    func unregister(_ plugin: String) {
        _ = producers.withLock { $0.removeValue(forKey: plugin) }
    }

    /// Prometheus text lines for every producer: queue depth, in-flight records, rebuilds and,
    /// when statistics are on, rtt and batch sizes.
    public func prometheusLines() -> [String] {
        let snapshot = producers.withLock { $0 }.sorted { $0.key < $1.key }
        guard !snapshot.isEmpty else { return [] }
        var gauges: [(name: String, help: String, values: [(String, Int64)])] = [
            ("runnel_kafka_producer_in_flight", "Records produced and not yet reported delivered.", []),
            ("runnel_kafka_producer_rebuilds", "Times the producer was rebuilt after a fatal error.", []),
            ("runnel_kafka_producer_queue_messages", "Messages in librdkafka's producer queue.", []),
            ("runnel_kafka_producer_queue_bytes", "Bytes in librdkafka's producer queue.", []),
            ("runnel_kafka_producer_rtt_avg_microseconds", "Average broker round-trip time.", []),
            ("runnel_kafka_producer_rtt_max_microseconds", "Worst broker round-trip time in the window.", []),
            ("runnel_kafka_producer_batch_messages_avg", "Average messages per produce batch.", []),
        ]
        for (plugin, producer) in snapshot {
            gauges[0].values.append((plugin, Int64(producer.inFlightRecords)))
            gauges[1].values.append((plugin, Int64(producer.rebuilds)))
            guard let stats = producer.statistics else { continue }
            gauges[2].values.append((plugin, stats.queuedMessages))
            gauges[3].values.append((plugin, stats.queuedBytes))
            gauges[4].values.append((plugin, stats.rttAverageMicroseconds))
            gauges[5].values.append((plugin, stats.rttMaxMicroseconds))
            gauges[6].values.append((plugin, stats.batchMessagesAverage))
        }
        var lines: [String] = []
        for gauge in gauges where !gauge.values.isEmpty {
            lines.append("# HELP \(gauge.name) \(gauge.help)")
            lines.append("# TYPE \(gauge.name) gauge")
            for (plugin, value) in gauge.values { lines.append("\(gauge.name){plugin=\"\(plugin)\"} \(value)") }
        }
        return lines
    }
}
