import CRdKafka

/// librdkafka configuration properties in the order they are applied: Runnel's safe defaults,
/// then what the plugin's Heka-style options map to, then the `[X.librdkafka]` table verbatim.
public struct KafkaProperties: Sendable, Equatable {
    public private(set) var entries: [(name: String, value: String)] = []

    public init(_ entries: [(String, String)] = []) {
        for (name, value) in entries { set(name, value) }
    }

    /// Sets or replaces a property (a later setting wins, as in librdkafka).
    public mutating func set(_ name: String, _ value: String) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index].value = value
        } else {
            entries.append((name, value))
        }
    }

    public subscript(name: String) -> String? { entries.first { $0.name == name }?.value }

    public static func == (lhs: KafkaProperties, rhs: KafkaProperties) -> Bool {
        lhs.entries.map(\.name) == rhs.entries.map(\.name) && lhs.entries.map(\.value) == rhs.entries.map(\.value)
    }

    /// A librdkafka configuration holding these properties; the first property librdkafka refuses
    /// is reported with its reason. The caller owns the result (it is consumed by `rd_kafka_new`).
    func makeConfiguration() throws(KafkaConfigurationError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else { throw KafkaConfigurationError(property: "", reason: "out of memory") }
        var reason = [CChar](repeating: 0, count: 512)
        for (name, value) in entries where rd_kafka_conf_set(conf, name, value, &reason, reason.count) != RD_KAFKA_CONF_OK {
            rd_kafka_conf_destroy(conf)
            throw KafkaConfigurationError(property: name, reason: text(ofErrorBuffer: reason))
        }
        return conf
    }

    /// Checks the properties against the loaded librdkafka: each one alone as it is set, then all
    /// together as librdkafka checks them when it makes a client, where some pairs conflict
    /// (`queue.buffering.backpressure.threshold` above 1 with `enable.idempotence`). That check
    /// has no entry point of its own, so a trial client is made and destroyed at once; without
    /// brokers and with logging off, it connects to nothing and prints nothing. The trial speaks
    /// plaintext: TLS files are read by the real client, which reports a missing one and retries
    /// (certificates may be mounted or rotated after the configuration is checked).
    public func validate(as type: rd_kafka_type_t) throws(KafkaConfigurationError) {
        let conf = try makeConfiguration()
        var reason = [CChar](repeating: 0, count: 512)
        let trialOnly = [("bootstrap.servers", ""), ("log_level", "0"), ("security.protocol", "plaintext")]
        for (name, value) in trialOnly
        where rd_kafka_conf_set(conf, name, value, &reason, reason.count) != RD_KAFKA_CONF_OK {
            rd_kafka_conf_destroy(conf)
            throw KafkaConfigurationError(property: name, reason: text(ofErrorBuffer: reason))
        }
        let trial: OpaquePointer
        do {
            trial = try newKafkaClient(type, conf)
        } catch {
            throw KafkaConfigurationError(property: "", reason: error.reason)
        }
        rd_kafka_destroy_flags(trial, Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
    }
}

/// A property librdkafka refused (unknown name, bad value).
public struct KafkaConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let property: String
    public let reason: String
    public var description: String { property.isEmpty ? reason : "librdkafka property '\(property)': \(reason)" }
}
