import RunnelCore

extension JsonDecoder {
    /// The options mapping a key to a header variable.
    static let headerKeyOptions: [(option: String, header: Header)] = [
        ("timestamp_field", .timestamp), ("severity_field", .severity), ("type_field", .type),
        ("payload_field", .payload), ("logger_field", .logger), ("hostname_field", .hostname),
    ]

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "JsonDecoder", category: .decoder,
            summary: "Decodes a JSON object payload into typed fields, nested keys flattened, chosen keys mapped to header variables.",
            options: [
                OptionSpec("flatten_separator", .string, default: ".",
                           summary: "Joins the keys of nested objects into field names: `{\"http\":{\"status\":200}}` gives `http.status`."),
                OptionSpec("timestamp_field", .string,
                           summary: "Key (flattened name) whose value sets the Timestamp: a string read with `timestamp_layout`, or a number in `timestamp_unit`."),
                OptionSpec("timestamp_layout", .string,
                           summary: "Go layout of a string timestamp, or `Epoch`, `EpochMilli`, `EpochMicro`, `EpochNano`; without it RFC 3339 and Go's other standard layouts are tried."),
                OptionSpec("timestamp_location", .string, default: "UTC",
                           summary: "Zone of string timestamps that carry no UTC offset: an IANA name, `UTC` or `Local`."),
                OptionSpec("timestamp_unit", .string, default: "s", allowed: TimestampUnit.allCases.map { ConfigValue.string($0.rawValue) },
                           summary: "Unit of a numeric timestamp: `s`, `ms`, `us`, `ns`, or `auto` (guessed from the magnitude). Fractions are kept."),
                OptionSpec("severity_field", .string,
                           summary: "Key whose value sets the Severity: a number, a `severity_map` entry, or a level name such as `error` or `WARN`."),
                OptionSpec("severity_map", .any, summary: "Table `[X.severity_map]` of severity text to number, checked before level names."),
                OptionSpec("type_field", .string, summary: "Key whose value sets the Type."),
                OptionSpec("payload_field", .string, summary: "Key whose value becomes the Payload (e.g. the log message text)."),
                OptionSpec("logger_field", .string, summary: "Key whose value sets the Logger."),
                OptionSpec("hostname_field", .string, summary: "Key whose value sets the Hostname."),
                OptionSpec("message_type", .string,
                           summary: "Type of every decoded message (the section's own `type` names the plugin); unset keeps the input's; a `type_field` value wins."),
                OptionSpec("keep_payload", .bool, default: false, aliases: ["payload_keep"],
                           summary: "Keep the original JSON text as the Payload; by default the Payload is cleared, since the fields hold its content."),
                OptionSpec("message_json", .bool, default: false,
                           summary: "The payload is a whole message in Runnel's JSON shape (what JsonEncoder writes); it decodes to exactly that message and the key options do not apply."),
            ])
    ) { config, _ throws(PluginBuildError) in
        var headerKeys: [ByteString: Header] = [:]
        for (option, header) in headerKeyOptions {
            guard let key = config.string(option) else { continue }
            guard headerKeys.updateValue(header, forKey: ByteString(key)) == nil else {
                throw PluginBuildError(key: option, "key '\(key)' is already mapped by another *_field option")
            }
        }
        let messageJSON = config.bool("message_json") ?? false
        if messageJSON, let option = headerKeyOptions.first(where: { config.string($0.option) != nil })?.option {
            throw PluginBuildError(key: option, "does not apply with message_json = true, which takes the message as written")
        }
        let separator = config.string("flatten_separator") ?? "."
        guard !separator.isEmpty else { throw PluginBuildError(key: "flatten_separator", "must not be empty") }
        return .decoder(JsonDecoder(
            separator: Array(separator.utf8), headerKeys: headerKeys,
            timestamps: try TimestampReader(layout: config.string("timestamp_layout"), location: config.string("timestamp_location")),
            timestampUnit: TimestampUnit(rawValue: config.string("timestamp_unit") ?? "s") ?? .s,
            severities: try SeverityReader(config: try subTable(config, "severity_map")),
            type: config.string("message_type").map { ByteString($0) }, keepPayload: config.bool("keep_payload") ?? false,
            messageJSON: messageJSON))
    }
}
