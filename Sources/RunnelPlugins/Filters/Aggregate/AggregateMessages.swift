import RunnelCore

/// Builds the message an AggregateFilter emits for one group and interval:
///
/// - headers: Type = `message_type`, Timestamp = end of the interval, Hostname, Logger = the filter's name,
///   Pid, a fresh Uuid;
/// - one string field per `group_by` variable, named after it (`Fields[MARATHON_APP_ID]` →
///   `MARATHON_APP_ID`, `Type` → `Type`);
/// - `count`: messages of the group in the interval (integer);
/// - per aggregated field F and chosen statistic: `F_count` (integer), `F_sum`, `F_avg`, `F_min`,
///   `F_max`, `F_pN` (doubles). When no message carried F, only `F_count` = 0 is present;
/// - per `distinct` variable D: `D_distinct`, its distinct values in the group (integer).
struct AggregateMessages {
    private let options: AggregateOptions
    private let groupNames: [ByteString]
    /// Per aggregated field, per statistic, the output name.
    private let statNames: [[ByteString]]
    private let distinctNames: [ByteString]
    private let ranks: [Double]

    init(options: AggregateOptions) {
        self.options = options
        groupNames = options.groupBy.map { ByteString($0.outputName) }
        statNames = options.fields.map { field in options.stats.map { ByteString("\(field.outputName)_\($0)") } }
        distinctNames = options.distinct.map { ByteString("\($0.outputName)_distinct") }
        ranks = options.percentileRanks.map(Double.init)
    }

    func message(for group: AggregationTable.Group, header: Message) -> Message {
        var message = header
        message.fields.reserveCapacity(groupNames.count + 1 + statNames.count * options.stats.count + distinctNames.count)
        for (name, value) in zip(groupNames, group.key.values) {
            message.fields.append(.string(name, value))
        }
        message.fields.append(.integer("count", Int64(group.messageCount)))
        for (slot, accumulator) in group.fields.enumerated() {
            appendStats(of: accumulator, names: statNames[slot], to: &message)
        }
        for (name, counter) in zip(distinctNames, group.distinct) {
            message.fields.append(.integer(name, Int64(counter.count)))
        }
        return message
    }

    private func appendStats(of accumulator: FieldAccumulator, names: [ByteString], to message: inout Message) {
        let percentiles = accumulator.percentiles(ranks)
        var nextPercentile = 0
        for (name, stat) in zip(names, options.stats) {
            if case .count = stat {
                message.fields.append(.integer(name, Int64(accumulator.count)))
                continue
            }
            guard accumulator.count > 0 else { continue }
            let value: Double
            switch stat {
            case .count: continue
            case .sum: value = accumulator.sum
            case .avg: value = accumulator.average ?? 0
            case .min: value = accumulator.min
            case .max: value = accumulator.max
            case .percentile:
                guard nextPercentile < percentiles.count else { continue }
                value = percentiles[nextPercentile]
                nextPercentile += 1
            }
            message.fields.append(.double(name, value))
        }
    }
}
