import CRdKafka
import RunnelCore

/// What a KafkaOutput section configures: librdkafka properties, topic and key templates and where
/// refused messages go.
public struct KafkaOutputSettings: Sendable {
    public static let defaultTopic = "runnel.logs.%{Fields[MARATHON_APP_ID]}"
    public static let defaultKey = "%{Fields[MARATHON_APP_ID]}"

    public var properties: KafkaProperties
    public var topic: InterpolatedTemplate
    /// Empty renderings produce messages without a key.
    public var key: InterpolatedTemplate?
    public var deadLetterPath: String
    /// See `KafkaProducer.init`; nil never rebuilds for a stall.
    public var stallTimeout: Duration?

    public init(properties: KafkaProperties, topic: InterpolatedTemplate, key: InterpolatedTemplate?, deadLetterPath: String,
                stallTimeout: Duration? = .seconds(60)) {
        self.stallTimeout = stallTimeout
        self.properties = properties
        self.topic = topic
        self.key = key
        self.deadLetterPath = deadLetterPath
    }

    /// Runnel's defaults, chosen so that nothing is dropped silently: every replica acknowledges,
    /// the producer is idempotent (no duplicates or reordering from its retries), queued messages
    /// never expire (Runnel's byte-bounded queues are the limit) and librdkafka's own queue is
    /// bounded, so a full queue pushes back instead of growing.
    ///
    /// Linger and queue bound go together. librdkafka's idempotent producer sends one produce
    /// request at a time, whatever `max.in.flight` says; while it waits, librdkafka's broker thread
    /// polls without sleeping whenever the oldest queued record has lingered past `linger.ms`
    /// (1.5 million polls per million records with 5 ms and a 50 MiB queue: half the agent's CPU,
    /// taken from the broker on a small machine). A 4 MiB queue (a full batch in flight, three
    /// ready behind it) empties in well under 100 ms at any rate above 40 MiB/s, so nothing
    /// lingers that long while the broker is busy; an idle producer sends at once
    /// (`ProducerLoop.sendLingering`), so the linger does not add latency at low rates.
    public static let safeDefaults = KafkaProperties([
        ("acks", "all"),
        ("enable.idempotence", "true"),
        ("message.timeout.ms", "0"),
        ("queue.buffering.max.kbytes", "4096"),
        ("queue.buffering.max.messages", "100000"),
        ("linger.ms", "100"),
        ("partitioner", "murmur2_random"),
    ])

    static let partitioners: [String: String] = ["Hash": "murmur2_random", "Random": "random", "RoundRobin": "random"]
    static let acks: [String: String] = ["NoResponse": "0", "WaitForLocal": "1", "WaitForAll": "all"]
    static let codecs: [String: String] = ["None": "none", "GZIP": "gzip", "Snappy": "snappy", "LZ4": "lz4", "ZSTD": "zstd"]

    /// Reads a validated section; errors name the option.
    public init(config: PluginInstanceConfig, context: PluginBuildContext) throws(PluginBuildError) {
        var properties = Self.safeDefaults
        try KafkaCommonOptions.apply(config, hostname: context.hostname, to: &properties)
        properties.set("partitioner", Self.partitioners[config.string("partitioner") ?? "Hash"] ?? "murmur2_random")
        let acks = Self.acks[config.string("required_acks") ?? "WaitForAll"] ?? "all"
        properties.set("acks", acks)
        if acks != "all" { properties.set("enable.idempotence", "false") }  // idempotence requires acks=all
        if let timeout = config.integer("timeout"), timeout > 0 { properties.set("request.timeout.ms", String(timeout)) }
        if let codec = config.string("compression_codec") { properties.set("compression.codec", Self.codecs[codec] ?? "none") }
        if let linger = config.integer("max_buffer_time") { properties.set("linger.ms", String(linger)) }
        if let bytes = config.integer("max_buffered_bytes"), bytes > 0 { properties.set("batch.size", String(bytes)) }
        if let bytes = config.byteSize("back_pressure_threshold_bytes") {
            properties.set("queue.buffering.max.kbytes", String(max(1, bytes / 1024)))
        }
        if let bytes = config.byteSize("max_message_bytes") {
            properties.set("message.max.bytes", String(bytes))
            // librdkafka refuses a batch size above the message limit.
            if Int(properties["batch.size"] ?? "") ?? 1_000_000 > bytes { properties.set("batch.size", String(bytes)) }
        }
        try KafkaCommonOptions.applyPassthrough(config, to: &properties)
        try KafkaCommonOptions.validate(properties, as: RD_KAFKA_PRODUCER)
        self.properties = properties

        let topicText: String
        if let variable = config.string("topic_variable") {
            guard config.string("topic") == nil else {
                throw PluginBuildError(key: "topic_variable", "cannot be combined with 'topic'")
            }
            topicText = "%{\(variable)}"
        } else {
            topicText = config.string("topic") ?? Self.defaultTopic
        }
        topic = try Self.template(topicText, key: config.string("topic_variable") != nil ? "topic_variable" : "topic", missing: "unknown")
        if topic.isConstant, let bad = KafkaTopicName.firstIllegalCharacter(in: topicText) {
            throw PluginBuildError(key: "topic", "'\(bad)' is not allowed in a Kafka topic name (letters, digits, '.', '_' and '-' are)")
        }
        if let variable = config.string("hash_variable") {
            guard config.string("key") == nil else { throw PluginBuildError(key: "hash_variable", "cannot be combined with 'key'") }
            key = try Self.template("%{\(variable)}", key: "hash_variable", missing: "")
        } else {
            let keyText = config.string("key") ?? Self.defaultKey
            key = keyText.isEmpty ? nil : try Self.template(keyText, key: "key", missing: "")
        }
        deadLetterPath = config.string("dead_letter_path") ?? "\(context.global.baseDir)/dead-letter/\(config.name).jsonl"
        let stall = config.duration("stall_timeout") ?? .seconds(60)
        stallTimeout = stall == .zero ? nil : stall
    }

    private static func template(_ text: String, key: String, missing: String) throws(PluginBuildError) -> InterpolatedTemplate {
        do {
            return try InterpolatedTemplate(text, missing: missing)
        } catch {
            throw PluginBuildError(key: key, error.description)
        }
    }

    /// The topic for `message`, made legal.
    public func topicName(for message: Message) -> String {
        var bytes: [UInt8] = []
        topic.render(message, into: &bytes, transform: KafkaTopicName.sanitiseValue)
        return KafkaTopicName.finish(bytes)
    }

    /// The key for `message`; nil when it renders empty.
    public func keyBytes(for message: Message) -> [UInt8]? {
        guard let key else { return nil }
        let bytes = key.render(message)
        return bytes.isEmpty ? nil : bytes
    }
}
