import RunnelCore

extension RegexSplitter {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "RegexSplitter", category: .splitter,
            summary: "Splits where a regular expression (PCRE2) matches; an optional capture group keeps part of the match in a record.",
            options: [
                OptionSpec("delimiter", .string, default: "\n",
                           summary: "Regular expression marking record boundaries, with at most one capture group. Without a group the match belongs to no record."),
                OptionSpec("delimiter_eol", .bool, default: true,
                           summary: "With a capture group: true ends the record with the captured text, false starts the next record with it."),
            ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        let source = config.string("delimiter") ?? "\n"
        let pattern: RegexPattern
        do {
            pattern = try RegexPattern(source)
        } catch {
            throw PluginBuildError(key: "delimiter", "invalid regular expression: \(error)")
        }
        guard pattern.groupCount <= 1 else {
            throw PluginBuildError(key: "delimiter", "must have at most one capture group, /\(source)/ has \(pattern.groupCount)")
        }
        guard !pattern.matches([UInt8]()) else {
            throw PluginBuildError(key: "delimiter", "/\(source)/ matches the empty string, so it cannot separate records")
        }
        let delimiterAtEnd = config.bool("delimiter_eol") ?? true
        let limits = splitterLimits(config, context)
        return .splitter { offset in
            RegexSplitter(delimiter: pattern, delimiterAtEnd: delimiterAtEnd, limits: limits, startOffset: offset)
        }
    }
}
