import RunnelCore

/// The groups of one AggregateFilter and what they accumulated in the current interval. Not
/// thread-safe: the filter keeps it behind its lock.
struct AggregationTable {
    struct Group {
        var key: GroupKey
        var messageCount = 0
        var fields: [FieldAccumulator]
        var distinct: [DistinctCounter]
        /// The deepest injection level of a message aggregated this interval (`max_message_loops`).
        var loopDepth = 0
        /// End of the last interval in which the group had a message (for `emit_empty` expiry).
        var lastActive: Int64
    }

    let options: AggregateOptions
    private let exactPercentileLimit: Int?
    private var index: [GroupKey: Int] = [:]
    private(set) var groups: [Group] = []
    /// Messages of new groups not aggregated this interval because `max_groups` was reached.
    private(set) var overflowMessages = 0
    private let startedAt: Int64

    init(options: AggregateOptions, now: Int64) {
        self.options = options
        self.exactPercentileLimit = options.percentileRanks.isEmpty ? nil : max(1, options.maxSamples)
        self.startedAt = now
    }

    /// Adds messages to the interval; returns how many were not aggregated (`max_groups`).
    mutating func add(_ messages: [Message], loopDepth: Int) -> Int {
        var refused = 0
        var key = GroupKey(values: [])
        key.values.reserveCapacity(options.groupBy.count)
        for message in messages {
            key.values.removeAll(keepingCapacity: true)
            for variable in options.groupBy {
                key.values.append(variable.text(of: message) ?? options.missingValue)
            }
            let position: Int
            if let found = index[key] {
                position = found
            } else if groups.count < options.maxGroups {
                position = groups.count
                index[key] = position
                groups.append(newGroup(key))
            } else {
                refused += 1
                continue
            }
            Self.accumulate(message, loopDepth: loopDepth, options: options, into: &groups[position])
        }
        overflowMessages += refused
        return refused
    }

    @inline(__always)
    private static func accumulate(_ message: Message, loopDepth: Int, options: AggregateOptions, into group: inout Group) {
        group.messageCount += 1
        if loopDepth > group.loopDepth { group.loopDepth = loopDepth }
        for (slot, variable) in options.fields.enumerated() {
            if let value = variable.number(of: message) { group.fields[slot].add(value) }
        }
        for (slot, variable) in options.distinct.enumerated() {
            if let value = variable.text(of: message) { group.distinct[slot].add(value, limit: options.maxDistinct) }
        }
    }

    private func newGroup(_ key: GroupKey) -> Group {
        Group(key: key, fields: options.fields.map { _ in FieldAccumulator(exactPercentileLimit: exactPercentileLimit) },
              distinct: options.distinct.map { _ in DistinctCounter() }, lastActive: startedAt)
    }

    /// Ends the interval at `timestamp`: the groups to report (those with messages, plus idle ones
    /// when `emit_empty` holds and they have not expired), and a fresh interval.
    mutating func endInterval(at timestamp: Int64) -> (report: [Group], overflowMessages: Int) {
        let expiry = options.groupExpiry.components
        let expiryNanoseconds = expiry.seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue
            &+ expiry.attoseconds / 1_000_000_000
        var report: [Group] = []
        var kept: [Group] = []
        for var group in groups {
            if group.messageCount > 0 {
                group.lastActive = timestamp
            } else if !options.emitEmpty || timestamp &- group.lastActive >= expiryNanoseconds {
                continue
            }
            report.append(group)
            if options.emitEmpty { kept.append(newGroup(group.key, lastActive: group.lastActive)) }
        }
        groups = kept
        index = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1.key, $0) })
        defer { overflowMessages = 0 }
        return (report, overflowMessages)
    }

    private func newGroup(_ key: GroupKey, lastActive: Int64) -> Group {
        var group = newGroup(key)
        group.lastActive = lastActive
        return group
    }
}
