import RunnelCore

extension KafkaOutput {
    static let ownOptions: [OptionSpec] = [
        OptionSpec("topic", .string,
                   summary: "Topic template: `%{Type}`, `%{Fields[name]}`, … substituted and made legal (`/web/api` → `web.api`; a missing value gives `unknown`). Default `\(KafkaOutputSettings.defaultTopic)`."),
        OptionSpec("topic_variable", .string,
                   summary: "Heka's form: the message variable whose value is the topic, e.g. `Fields[app]` (instead of `topic`)."),
        OptionSpec("key", .string,
                   summary: "Message key template; messages with the same key keep their order. Default `\(KafkaOutputSettings.defaultKey)`, the app id; empty = no key."),
        OptionSpec("hash_variable", .string,
                   summary: "Heka's form: the message variable hashed to choose the partition, used as the key (instead of `key`)."),
        OptionSpec("partitioner", .string, default: "Hash", allowed: ["Hash", "Random", "RoundRobin"],
                   summary: "`Hash` (the key picks the partition, librdkafka `murmur2_random`), `Random` or `RoundRobin` (both `random`: librdkafka has no round robin). Heka defaulted to Random."),
        OptionSpec("required_acks", .string, default: "WaitForAll", allowed: ["NoResponse", "WaitForLocal", "WaitForAll"],
                   summary: "Acknowledgement wanted from the broker (`acks` 0, 1, all). Anything but WaitForAll turns idempotence off and may lose messages. Heka defaulted to WaitForLocal."),
        OptionSpec("timeout", .integer, summary: "Milliseconds the broker may take to acknowledge a request (`request.timeout.ms`)."),
        OptionSpec("compression_codec", .string, default: "None", allowed: ["None", "GZIP", "Snappy", "LZ4", "ZSTD"],
                   summary: "Compression of message batches (`compression.codec`)."),
        OptionSpec("max_buffer_time", .integer, summary: "Milliseconds to gather messages into a batch (`linger.ms`, default 100; an idle producer sends at once)."),
        OptionSpec("max_buffered_bytes", .integer, summary: "Largest batch in bytes (`batch.size`)."),
        OptionSpec("back_pressure_threshold_bytes", .byteSize, default: 4_194_304,
                   summary: "Bytes librdkafka may queue before producing waits (`queue.buffering.max.kbytes`); the wait holds back the inputs."),
        OptionSpec("max_message_bytes", .byteSize, default: 1_000_000,
                   summary: "Largest message (`message.max.bytes`); larger ones go to the dead-letter file."),
        OptionSpec("stall_timeout", .duration, default: "60s",
                   summary: "With messages in flight and no delivery report for this long, the producer is rebuilt and the unconfirmed messages produced again (an idempotent producer whose id a restarted broker forgot otherwise retries forever). 0 = never."),
        OptionSpec("dead_letter_path", .string,
                   summary: "File receiving messages refused for good (too large, not authorised, unknown topic), one JSON line each with the reason. Default `<base_dir>/dead-letter/<name>.jsonl`."),
    ]

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "KafkaOutput", category: .output,
            summary: "Produces messages to Kafka with librdkafka: per-message topic and key templates, idempotent, confirmed on delivery reports, refused messages to a dead-letter file.",
            options: KafkaCommonOptions.specs + ownOptions, hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        .output(KafkaOutput(settings: try KafkaOutputSettings(config: config, context: context)))
    }
}
