import RunnelCore

extension PayloadRegexDecoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "PayloadRegexDecoder", category: .decoder,
            summary: "Parses the payload with a regular expression whose named captures set header variables and fields.",
            options: [
                OptionSpec("match_regex", .string, required: true,
                           summary: "PCRE2 regular expression with capture groups, e.g. `(?P<Status>\\d+)`; a record it does not match fails to decode."),
                OptionSpec("severity_map", .any,
                           summary: "Table `[X.severity_map]` of severity text to number (e.g. `WARNING = 4`) for a `Severity` capture; integers and level names such as `error` are understood without it."),
                OptionSpec("message_fields", .any,
                           summary: "Table `[X.message_fields]` of header or field name (`name|representation` for a field with one) to value, with `%capture%` replaced by that capture. Without it every named capture becomes a field."),
                OptionSpec("timestamp_layout", .string,
                           summary: "Go layout of a `Timestamp` capture (`02/Jan/2006:15:04:05 -0700`), or `Epoch`, `EpochMilli`, `EpochMicro`, `EpochNano`; without it Go's standard layouts are tried."),
                OptionSpec("timestamp_location", .string, default: "UTC",
                           summary: "Zone of timestamps whose text carries no UTC offset: an IANA name such as `America/Los_Angeles`, `UTC` or `Local`."),
                OptionSpec("log_errors", .bool, default: true,
                           ignoredBecause: "every record that fails to decode is counted; whether it is logged is the input's `log_decode_failures`",
                           summary: "Heka option: log payloads the regex does not match."),
            ],
            hekaCompatible: true)
    ) { config, _ throws(PluginBuildError) in
        let source = config.string("match_regex") ?? ""
        let regex: RegexPattern
        do {
            regex = try RegexPattern(source)
        } catch {
            throw PluginBuildError(key: "match_regex", "invalid regular expression: \(error)")
        }
        guard regex.groupCount > 0 else {
            throw PluginBuildError(key: "match_regex", "must contain capture groups, e.g. (?P<Status>\\d+)")
        }
        let template = try MessageFieldsTemplate(table: try subTable(config, "message_fields"), optionKey: "message_fields",
                                                 interpolates: true)
        let severities = try SeverityReader(config: try subTable(config, "severity_map"))
        let timestamps = try TimestampReader(layout: config.string("timestamp_layout"),
                                             location: config.string("timestamp_location"))
        return .decoder(PayloadRegexDecoder(regex: regex, template: template, severities: severities, timestamps: timestamps))
    }
}
