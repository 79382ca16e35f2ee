import RunnelCore

extension CounterFilter {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "CounterFilter", category: .filter,
            summary: "Counts the messages it receives; every `ticker_interval` emits a `heka.counter-output` message "
                + "(Payload `Got N messages. R msg/sec`; fields `count`, `total`, `rate`, `elapsed`) and every tenth "
                + "report an `AGG Sum. Min: … Max: … Mean: …` summary (fields `rate_min`, `rate_max`, `rate_mean`, `samples`).",
            options: [
                OptionSpec("message_matcher", .messageMatcher, default: "Type != 'heka.counter-output'",
                           summary: "Messages to count; by default everything but the counter's own output."),
                OptionSpec("ticker_interval", .duration, default: 5, summary: "Time between reports."),
            ],
            hekaCompatible: true)
    ) { config, _ throws(PluginBuildError) in
        _ = try FilterOptionReader(config).tickerInterval()
        return .filter(CounterFilter(matcher: FilterOptionReader(config).ownMatcher()))
    }
}

extension AggregateFilter {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "AggregateFilter", category: .filter,
            summary: "Groups messages by `group_by` variables and every `ticker_interval` emits one message per group "
                + "(Type `message_type`): the group values as string fields, `count`, per aggregated field F `F_count` (integer) and "
                + "`F_sum`, `F_avg`, `F_min`, `F_max`, `F_pN` (doubles, absent when no message had F), per distinct variable "
                + "D `D_distinct` (integer).",
            options: [
                OptionSpec("group_by", .array(.string), default: [],
                           summary: "Matcher variables to group by: headers (`Type`, `Logger`, `Hostname`, …) or `Fields[name]` "
                               + "(a bare name means that field). No variable: one group."),
                OptionSpec("fields", .array(.string), default: [],
                           summary: "Numeric fields to aggregate (integer and double values; `Fields[name][fi][ai]` picks a value). "
                               + "A message without the field, or with a non-numeric, NaN or infinite value, does not contribute."),
                OptionSpec("stats", .array(.string), default: ["count", "sum", "avg", "min", "max", "p50", "p90", "p99"],
                           summary: "Statistics per field: `count`, `sum`, `avg`, `min`, `max`, `p1`…`p99`."),
                OptionSpec("distinct", .array(.string), default: [],
                           summary: "Variables whose distinct values are counted per group, as `NAME_distinct` "
                               + "(e.g. `ContainerID` → `ContainerID_distinct`). Missing values are not counted."),
                OptionSpec("message_type", .string, default: "AggregateStats",
                           summary: "Type of the emitted messages, e.g. `AppStats` (a section's `type` names the plugin type)."),
                OptionSpec("missing_value", .string, default: "",
                           summary: "Group value for a message that lacks a `group_by` variable."),
                OptionSpec("emit_empty", .bool, default: false,
                           summary: "Also emit groups that had no message in the interval (with `count` 0) until `group_expiry`."),
                OptionSpec("group_expiry", .duration, default: "1h",
                           summary: "With `emit_empty`, how long a group without messages keeps being emitted before it is forgotten."),
                OptionSpec("max_groups", .integer, default: 10_000,
                           summary: "Groups per interval; messages of further groups are not aggregated and count as dropped "
                               + "(reason `max_groups`), logged once per interval."),
                OptionSpec("max_samples", .integer, default: 1024,
                           summary: "Values kept per field and group for percentiles, which are exact up to this many values "
                               + "in an interval; beyond, a log-bucket sketch gives each percentile within 1 % of its true value. "
                               + "Only kept when a percentile is in `stats`."),
                OptionSpec("max_distinct", .integer, default: 1024,
                           summary: "Distinct values counted per variable and group; beyond, the count is a lower bound (logged)."),
                OptionSpec("ticker_interval", .duration, default: 10, summary: "Length of an aggregation interval."),
            ])
    ) { config, _ throws(PluginBuildError) in
        let reader = FilterOptionReader(config)
        _ = try reader.tickerInterval()
        return .filter(AggregateFilter(options: try reader.aggregateOptions(), matcher: reader.ownMatcher()))
    }
}
