import RunnelCore

extension KafkaInput {
    static let ownOptions: [OptionSpec] = [
        OptionSpec("topic", .string, summary: "Topic to read (Heka's option); `topics` and `topic_pattern` add more."),
        OptionSpec("topics", .array(.string), summary: "Topics to read, as one consumer group subscription."),
        OptionSpec("topic_pattern", .string,
                   summary: "Regular expression over topic names (librdkafka's `^…` subscription), e.g. `^runnel\\.logs\\.`; new matching topics are picked up."),
        OptionSpec("partition", .integer,
                   summary: "Read only this partition of the topics, without group membership (Heka's option; Heka defaulted to 0, Runnel to the whole group subscription)."),
        OptionSpec("group", .string, summary: "Consumer group (`group.id`); offsets are committed under it. Defaults to `id`, else `runnel.<section name>`."),
        OptionSpec("offset_method", .string, default: "Manual", allowed: ["Manual", "Oldest", "Newest"],
                   summary: "`Manual`: resume from the group's committed offsets (the oldest message when none). `Oldest`/`Newest`: start at the oldest/after the newest message when the partition is first assigned."),
        OptionSpec("default_fetch_size", .byteSize, summary: "Most bytes per fetch (`fetch.max.bytes`)."),
        OptionSpec("min_fetch_size", .byteSize, summary: "Least bytes a fetch waits for (`fetch.min.bytes`)."),
        OptionSpec("max_message_size", .byteSize, summary: "Largest message accepted (`receive.message.max.bytes`); 0 = librdkafka's default."),
        OptionSpec("max_wait_time", .integer, summary: "Milliseconds a fetch waits for `min_fetch_size` (`fetch.wait.max.ms`)."),
        OptionSpec("event_buffer_size", .integer, ignoredBecause: "librdkafka prefetches on its own (`queued.min.messages`)",
                   summary: "Accepted for Heka compatibility."),
        OptionSpec("batch_size", .integer, default: 2000, summary: "Most records handed to the pipeline as one batch."),
        OptionSpec("drain_timeout", .duration, default: "10s",
                   summary: "At shutdown, how long to wait for the outputs to confirm the last batches before committing offsets."),
    ]

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "KafkaInput", category: .input,
            summary: "Reads Kafka topics as a librdkafka consumer group; offsets are committed only after downstream confirmed the messages. Each message is one record with Topic, Partition, Offset and Key fields.",
            options: KafkaCommonOptions.specs + ownOptions, hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        .input(KafkaInput(settings: try KafkaInputSettings(config: config, context: context)))
    }
}
