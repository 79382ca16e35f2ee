import RunnelCore

/// What an AggregateFilter groups by, aggregates and emits (see `AggregateFilter.registration`
/// for the option names and defaults).
public struct AggregateOptions: Sendable {
    public var groupBy: [MessageVariable] = []
    public var fields: [MessageVariable] = []
    public var stats: [AggregateStat] = AggregateStat.defaults
    public var distinct: [MessageVariable] = []
    /// Type of the emitted messages.
    public var type: ByteString = "AggregateStats"
    /// Group value of a message that lacks a `group_by` variable.
    public var missingValue: ByteString = .empty
    /// Emit groups that had no message in the interval (count 0), until `groupExpiry` passes.
    public var emitEmpty = false
    public var groupExpiry: Duration = .seconds(3600)
    public var maxGroups = 10_000
    /// Values kept per field and group for percentiles (exact up to this, sampled beyond).
    public var maxSamples = 1024
    public var maxDistinct = 1024

    public init() {}

    /// Every field name an emitted message carries, in order: the group-by names, `count`, the
    /// statistics of each field, the distinct counts. Names must not repeat.
    public var outputFieldNames: [String] {
        groupBy.map(\.outputName) + ["count"]
            + fields.flatMap { field in stats.map { "\(field.outputName)_\($0)" } }
            + distinct.map { "\($0.outputName)_distinct" }
    }

    var percentileRanks: [Int] {
        stats.compactMap { if case .percentile(let rank) = $0 { rank } else { nil } }
    }
}
