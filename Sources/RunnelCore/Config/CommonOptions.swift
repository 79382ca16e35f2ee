/// The options every plugin of a category accepts, following Heka's common parameters. They are
/// merged into each plugin schema of that category (see `PluginSchema.effectiveOptions`).
public enum CommonOptions {
    public static func options(for category: PluginCategory) -> [OptionSpec] {
        switch category {
        case .input: return input
        case .splitter: return splitter
        case .filter: return filter
        case .output: return output
        case .decoder, .encoder: return []
        }
    }

    /// `[X.retries]`: how a failed plugin is restarted.
    public static let retries: [OptionSpec] = [
        OptionSpec("delay", .duration, default: "250ms",
                   summary: "First wait before restarting a failed plugin; doubles on each further failure."),
        OptionSpec("max_delay", .duration, default: "30s", summary: "Longest wait between restarts."),
        OptionSpec("max_jitter", .duration, default: "500ms",
                   summary: "Random extra wait, up to this much, added to each restart delay."),
        OptionSpec("max_retries", .integer, default: -1,
                   summary: "Restarts before giving up; -1 retries forever, 0 never restarts. When exhausted, `can_exit` decides whether the agent stops."),
    ]

    /// `[X.buffering]`: the optional disk queue of a filter or output.
    public static let buffering: [OptionSpec] = [
        OptionSpec("max_file_size", .byteSize, default: "512MiB", summary: "Size at which the disk queue starts a new segment file."),
        OptionSpec("max_buffer_size", .byteSize, default: 0,
                   summary: "Disk space the whole queue may use; 0 means no limit but the disk. Reaching it triggers `full_action`."),
        OptionSpec("full_action", .string, default: "block", allowed: ["block", "drop", "shutdown"],
                   summary: "When the queue is full: `block` holds back the inputs, `drop` drops the new message (counted), `shutdown` stops the agent. Heka defaulted to `shutdown`."),
        OptionSpec("cursor_update_count", .integer, default: 1,
                   summary: "Confirmed messages between writes of the queue's read position to disk."),
    ]

    static let input: [OptionSpec] = [
        OptionSpec("decoder", .string, references: .decoder,
                   summary: "Decoder section that turns each record into a message; without one the record becomes the message payload."),
        OptionSpec("splitter", .string, references: .splitter,
                   summary: "Splitter section that cuts the input's byte stream into records; each input documents its default."),
        OptionSpec("synchronous_decode", .bool, default: false,
                   summary: "Decode inside the input's own task instead of handing records to a separate decoder task."),
        OptionSpec("send_decode_failures", .bool, default: false,
                   summary: "Pass records the decoder rejects on, undecoded, with a `decode_failure` field set to true."),
        OptionSpec("log_decode_failures", .bool, default: true, summary: "Log each record the decoder rejects."),
        OptionSpec("can_exit", .bool, default: false,
                   summary: "Whether this input may stop (after its retries) without stopping the agent."),
        OptionSpec("ticker_interval", .duration, summary: "Period of the input's timer, for inputs that poll."),
        OptionSpec("retries", .table(retries), summary: "Restart policy, as the sub-table `[NAME.retries]`; its options follow."),
    ]

    static let splitter: [OptionSpec] = [
        OptionSpec("keep_truncated", .bool, default: false,
                   summary: "Deliver records longer than the buffer in truncated form (flagged) instead of dropping them."),
        OptionSpec("use_message_bytes", .bool, default: false,
                   summary: "Hand each record to the decoder as encoded message bytes (for ProtobufDecoder) rather than as the payload."),
        OptionSpec("min_buffer_size", .byteSize, default: "8KiB",
                   summary: "Initial size of the split buffer; it grows up to the global `max_message_size`."),
        OptionSpec("deliver_incomplete_final", .bool, default: false,
                   summary: "At the end of a stream, deliver a last record that lacks its delimiter instead of dropping it."),
    ]

    static let filter: [OptionSpec] = filterAndOutput
    static let output: [OptionSpec] = filterAndOutput + [
        OptionSpec("encoder", .string, references: .encoder,
                   summary: "Encoder section that turns messages into the bytes this output writes."),
        OptionSpec("use_framing", .bool,
                   summary: "Wrap each encoded message in Heka stream framing; each output documents its default."),
    ]

    private static let filterAndOutput: [OptionSpec] = [
        OptionSpec("message_matcher", .messageMatcher, required: true,
                   summary: "Heka matcher expression choosing the messages this plugin receives, e.g. `Type == 'nginx.access'`; `TRUE` takes all."),
        OptionSpec("message_signer", .string, summary: "Only messages signed by this signer are received."),
        OptionSpec("ticker_interval", .duration, summary: "Period of the plugin's timer (flushes, aggregates); no timer when absent."),
        OptionSpec("can_exit", .bool, default: false,
                   summary: "Whether this plugin may stop (after its retries) without stopping the agent."),
        OptionSpec("queue_full_action", .string, default: "block", allowed: ["block", "drop"],
                   summary: "When this plugin's in-memory queue (`plugin_queue_bytes`) is full: `block` holds back the inputs (nothing is lost), `drop` drops the new messages and counts them as `dropped{reason=\"queue_full\"}`."),
        OptionSpec("queue_bytes", .byteSize,
                   summary: "This plugin's in-memory queue size; defaults to the global `plugin_queue_bytes`."),
        OptionSpec("use_buffering", .bool, default: false,
                   summary: "Queue matched messages on disk before the plugin takes them, so they survive restarts and outages."),
        OptionSpec("buffering", .table(buffering), summary: "Disk queue settings, as the sub-table `[NAME.buffering]`; its options follow."),
        OptionSpec("retries", .table(retries), summary: "Restart policy, as the sub-table `[NAME.retries]`; its options follow."),
    ]
}
