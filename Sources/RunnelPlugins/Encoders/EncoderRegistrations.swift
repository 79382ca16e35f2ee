import RunnelCore

extension PayloadEncoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "PayloadEncoder", category: .encoder,
            summary: "Writes each message's Payload, optionally prefixed with a timestamp.",
            options: [
                OptionSpec("append_newlines", .bool, default: true, summary: "End each payload with a newline."),
                OptionSpec("prefix_ts", .bool, default: false, summary: "Prefix each payload with a timestamp."),
                OptionSpec("ts_format", .string, default: "[2006/Jan/02:15:04:05 -0700] ",
                           summary: "Layout of the prefix, in Go's reference-time notation (UTC)."),
                OptionSpec("ts_from_message", .bool, default: true,
                           summary: "Prefix the message's own time rather than the time of writing."),
            ],
            hekaCompatible: true, implicitInstance: true)
    ) { config, _ throws(PluginBuildError) in
        let layout = (config.bool("prefix_ts") ?? false) ? GoTimeLayout(config.string("ts_format") ?? "[2006/Jan/02:15:04:05 -0700] ") : nil
        return .encoder(PayloadEncoder(appendNewlines: config.bool("append_newlines") ?? true, timestampPrefix: layout,
                                       timestampFromMessage: config.bool("ts_from_message") ?? true))
    }
}

extension RstEncoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(typeName: "RstEncoder", category: .encoder,
                             summary: "Human-readable dump of every header variable and field, for debugging.",
                             options: [], hekaCompatible: true, implicitInstance: true)
    ) { _, _ throws(PluginBuildError) in .encoder(RstEncoder()) }
}

extension ProtobufEncoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(typeName: "ProtobufEncoder", category: .encoder,
                             summary: "Heka's protobuf message encoding; use with `use_framing = true` to feed another agent.",
                             options: [], hekaCompatible: true, implicitInstance: true)
    ) { _, _ throws(PluginBuildError) in .encoder(ProtobufEncoder()) }
}

extension JsonEncoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(typeName: "JsonEncoder", category: .encoder,
                             summary: "One message per line in Runnel's JSON shape (docs/json-format.md), lossless.",
                             options: [OptionSpec("append_newlines", .bool, default: true, summary: "End each message with a newline.")],
                             implicitInstance: true)
    ) { config, _ throws(PluginBuildError) in .encoder(JsonEncoder(appendNewlines: config.bool("append_newlines") ?? true)) }
}
