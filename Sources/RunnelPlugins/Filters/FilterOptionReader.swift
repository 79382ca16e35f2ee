import RunnelCore

/// Reads and checks the options of the filters in this folder beyond what the schema validated.
struct FilterOptionReader {
    let config: PluginInstanceConfig

    init(_ config: PluginInstanceConfig) {
        self.config = config
    }

    /// The interval, which must be positive (0 would report continuously).
    func tickerInterval() throws(PluginBuildError) -> Duration {
        guard let interval = config.duration("ticker_interval"), interval > .zero else {
            throw PluginBuildError(key: "ticker_interval", "must be a positive duration")
        }
        return interval
    }

    /// The section's own matcher; already validated by the loader.
    func ownMatcher() -> MessageMatcher? {
        config.string("message_matcher").flatMap { try? MessageMatcher($0) }
    }

    func aggregateOptions() throws(PluginBuildError) -> AggregateOptions {
        var options = AggregateOptions()
        options.groupBy = try variables("group_by")
        options.fields = try variables("fields")
        if let text = options.fields.first(where: { !$0.isNumeric })?.outputName {
            throw PluginBuildError(key: "fields", "'\(text)' is a text header, not a number; aggregate numeric fields, Severity, Pid or Timestamp")
        }
        options.distinct = try variables("distinct")
        options.stats = []
        for name in config.strings("stats") ?? AggregateStat.defaults.map(\.description) {
            guard let stat = AggregateStat(name: name) else {
                throw PluginBuildError(key: "stats", "unknown statistic '\(name)' (count, sum, avg, min, max, p1…p99)")
            }
            guard !options.stats.contains(stat) else { throw PluginBuildError(key: "stats", "'\(name)' is listed twice") }
            options.stats.append(stat)
        }
        let type = config.string("message_type") ?? "AggregateStats"
        guard !type.isEmpty else { throw PluginBuildError(key: "message_type", "must not be empty") }
        options.type = ByteString(type)
        options.missingValue = ByteString(config.string("missing_value") ?? "")
        options.emitEmpty = config.bool("emit_empty") ?? false
        options.groupExpiry = config.duration("group_expiry") ?? .seconds(3600)
        options.maxGroups = try positive("max_groups", default: options.maxGroups)
        options.maxSamples = try positive("max_samples", default: options.maxSamples)
        options.maxDistinct = try positive("max_distinct", default: options.maxDistinct)

        var seen = Set<String>()
        for name in options.outputFieldNames where !seen.insert(name).inserted {
            throw PluginBuildError("the emitted field '\(name)' would appear twice; rename a group_by, fields or distinct entry")
        }
        return options
    }

    private func variables(_ key: String) throws(PluginBuildError) -> [MessageVariable] {
        var variables: [MessageVariable] = []
        for text in config.strings(key) ?? [] {
            do {
                variables.append(try MessageVariable(parsing: text))
            } catch {
                throw PluginBuildError(key: key, error.description)
            }
        }
        return variables
    }

    private func positive(_ key: String, default fallback: Int) throws(PluginBuildError) -> Int {
        let value = config.integer(key) ?? fallback
        guard value >= 1 else { throw PluginBuildError(key: key, "must be at least 1") }
        return value
    }
}
