import CRdKafka
import RunnelCore

/// What a KafkaInput section configures.
public struct KafkaInputSettings: Sendable {
    public var properties: KafkaProperties
    public var subscription: KafkaSubscription
    public var offsetMethod: KafkaOffsetMethod
    /// Records handed to the pipeline per batch at most.
    public var maxBatch: Int
    /// How long a stopping input waits for its last batches to be confirmed before committing.
    public var drainTimeout: Duration

    public init(properties: KafkaProperties, subscription: KafkaSubscription, offsetMethod: KafkaOffsetMethod,
                maxBatch: Int = 2000, drainTimeout: Duration = .seconds(10)) {
        self.properties = properties
        self.subscription = subscription
        self.offsetMethod = offsetMethod
        self.maxBatch = maxBatch
        self.drainTimeout = drainTimeout
    }

    /// Offsets are stored by Runnel once downstream confirmed, and committed by librdkafka's
    /// periodic commit of stored offsets (and at revoke and close).
    public static let safeDefaults = KafkaProperties([
        ("enable.auto.commit", "true"),
        ("enable.auto.offset.store", "false"),
        ("auto.commit.interval.ms", "1000"),
        ("auto.offset.reset", "earliest"),
        ("enable.partition.eof", "false"),
    ])

    /// With its local queue above `queued.min.messages`, librdkafka (2.4 and later) postpones the
    /// partition's next fetch by `fetch.queue.backoff.ms`, 1 s by default: a pipeline slower than the
    /// broker drains the queue long before that and then stands idle (0.5–1 s stalls in the
    /// benchmark). Checking again after 20 ms keeps the queue fed; the check is local and cheap.
    static let fetchQueueBackoff = ("fetch.queue.backoff.ms", "20")

    public init(config: PluginInstanceConfig, context: PluginBuildContext) throws(PluginBuildError) {
        var properties = Self.safeDefaults
        if KafkaLibrary.hasFetchQueueBackoff { properties.set(Self.fetchQueueBackoff.0, Self.fetchQueueBackoff.1) }
        try KafkaCommonOptions.apply(config, hostname: context.hostname, to: &properties)
        properties.set("group.id", config.string("group") ?? config.string("id") ?? "runnel.\(config.name)")
        if let size = config.byteSize("default_fetch_size") { properties.set("fetch.max.bytes", String(max(size, 1024))) }
        if let size = config.byteSize("min_fetch_size") { properties.set("fetch.min.bytes", String(max(size, 1))) }
        if let size = config.byteSize("max_message_size"), size > 0 { properties.set("receive.message.max.bytes", String(max(size + 512, 1000))) }
        if let wait = config.integer("max_wait_time") { properties.set("fetch.wait.max.ms", String(wait)) }
        let method = KafkaOffsetMethod(rawValue: config.string("offset_method") ?? "Manual") ?? .manual
        if method == .newest { properties.set("auto.offset.reset", "latest") }
        try KafkaCommonOptions.applyPassthrough(config, to: &properties)
        try KafkaCommonOptions.validate(properties, as: RD_KAFKA_CONSUMER)
        self.properties = properties
        offsetMethod = method

        var topics = config.strings("topics") ?? []
        if let topic = config.string("topic") { topics.insert(topic, at: 0) }
        let pattern = config.string("topic_pattern")
        if let pattern {
            do {
                _ = try RegexPattern(pattern)
            } catch {
                throw PluginBuildError(key: "topic_pattern", "\(error)")
            }
        }
        guard !topics.isEmpty || pattern != nil else {
            throw PluginBuildError(key: "topic", "name a topic with 'topic', 'topics' or 'topic_pattern'")
        }
        if let partition = config.integer("partition") {
            guard pattern == nil else { throw PluginBuildError(key: "partition", "cannot be combined with 'topic_pattern'") }
            guard let value = Int32(exactly: partition), value >= 0 else { throw PluginBuildError(key: "partition", "must be a partition number") }
            subscription = .partitions(topics.map { ($0, value) })
        } else {
            subscription = .topics(topics, pattern: pattern)
        }
        maxBatch = max(1, config.integer("batch_size") ?? 2000)
        drainTimeout = config.duration("drain_timeout") ?? .seconds(10)
    }
}
