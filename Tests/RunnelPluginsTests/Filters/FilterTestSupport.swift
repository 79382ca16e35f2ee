import RunnelCore
@testable import RunnelPlugins

/// Messages and readers shared by the filter tests.
enum FilterFixtures {
    /// A DockerStats-like message (the shape issue 4's stats input emits).
    static func stats(app: String?, container: String, cpu: Double? = nil, rss: Double? = nil,
                      memUsage: Int64? = nil) -> Message {
        var message = Message(timestamp: 1_700_000_000_000_000_000, type: "DockerStats", hostname: "node-1")
        message.addField(.string("ContainerID", ByteString(container)))
        if let app { message.addField(.string("MARATHON_APP_ID", ByteString(app))) }
        if let cpu { message.addField(.double("cpuPercent", cpu)) }
        if let rss { message.addField(.double("rssPercent", rss)) }
        if let memUsage { message.addField(.integer("memUsage", memUsage)) }
        return message
    }

    /// The per-app aggregate of issue 4, as a plugins.toml section named `app_stats`.
    static func appStatsSection(tickerInterval: String) -> String {
        """
        [app_stats]
        type = "AggregateFilter"
        message_matcher = "Type == 'DockerStats'"
        group_by = ["Fields[MARATHON_APP_ID]"]
        fields = ["cpuPercent", "rssPercent"]
        stats = ["sum", "avg", "max"]
        distinct = ["ContainerID"]
        message_type = "AppStats"
        ticker_interval = "\(tickerInterval)"
        """
    }

    static func options(groupBy: [String] = [], fields: [String] = [], stats: [String]? = nil,
                        distinct: [String] = [], configure: (inout AggregateOptions) -> Void = { _ in }) throws -> AggregateOptions {
        var options = AggregateOptions()
        options.groupBy = try groupBy.map { try MessageVariable(parsing: $0) }
        options.fields = try fields.map { try MessageVariable(parsing: $0) }
        options.distinct = try distinct.map { try MessageVariable(parsing: $0) }
        if let stats { options.stats = stats.compactMap(AggregateStat.init(name:)) }
        configure(&options)
        return options
    }

    /// Runs one interval: adds the messages, ends it, returns the emitted messages.
    static func interval(_ options: AggregateOptions, _ messages: [Message]) -> AggregateFilter.Interval {
        let filter = AggregateFilter(options: options)
        filter.add(messages)
        return filter.endInterval(at: 1_700_000_010_000_000_000, hostname: "agent-host", logger: "app_stats")
    }
}

extension Message {
    func double(_ name: String) -> Double? {
        guard case .double(let values)? = field(named: ByteString(name))?.values else { return nil }
        return values.first
    }

    func integer(_ name: String) -> Int64? {
        guard case .integer(let values)? = field(named: ByteString(name))?.values else { return nil }
        return values.first
    }

    func text(_ name: String) -> String? {
        guard case .string(let values)? = field(named: ByteString(name))?.values else { return nil }
        return values.first?.string
    }

}
