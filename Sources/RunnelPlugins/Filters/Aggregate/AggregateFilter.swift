import Logging
import RunnelCore
import Synchronization

/// Runnel's AggregateFilter: groups the messages it receives by `group_by` variables and, every
/// `ticker_interval`, emits one message per group with count, sum, avg, min, max and percentiles
/// of chosen numeric fields and distinct counts of chosen variables (shape: `AggregateMessages`).
/// This is what turns per-container DockerStats into per-app AppStats.
///
/// Memory is bounded: at most `max_groups` groups (messages of further groups are counted as
/// dropped, reason `max_groups`); per field and group, `max_samples` values for exact percentiles
/// or, beyond, a sketch of at most 2 × 2048 counters; `max_distinct` hashes per distinct variable
/// and group.
public final class AggregateFilter: FilterPlugin {
    public let options: AggregateOptions
    private let injector: FilterInjector
    private let builder: AggregateMessages
    private let state: Mutex<State>

    struct State {
        var table: AggregationTable
        /// The latest context seen per injection depth, to inject each group's report through.
        var contexts: [Int: FilterContext] = [:]
        var ids = MessageIDGenerator()
    }

    /// What one interval produced, for callers that drive the filter without the runtime.
    public struct Interval: Sendable {
        /// One message per reported group, in the order the groups first appeared.
        public var messages: [Message]
        /// Per message, the deepest injection level among the messages it summarises.
        public var loopDepths: [Int]
        /// Messages of groups beyond `max_groups`, not aggregated.
        public var overflowMessages: Int
        /// Distinct variables whose count reached `max_distinct` in some group (a lower bound).
        public var saturatedDistinct: [String]
    }

    /// `matcher` is the filter's own message_matcher (its output is never injected into itself).
    public init(options: AggregateOptions, matcher: MessageMatcher? = nil) {
        self.options = options
        self.injector = FilterInjector(ownMatcher: matcher)
        self.builder = AggregateMessages(options: options)
        self.state = Mutex(State(table: AggregationTable(options: options, now: WallClock.nowNanoseconds())))
    }

    public func process(_ messages: [Message], context: FilterContext) async throws {
        let refused = state.withLock { state in
            state.contexts[context.loopDepth] = context
            return state.table.add(messages, loopDepth: context.loopDepth)
        }
        if refused > 0 { context.counters.addDropped(refused, reason: "max_groups") }
    }

    /// Adds messages to the current interval: `process` without a runtime (benchmarks, tests).
    /// Returns how many were not aggregated because `max_groups` was reached.
    @discardableResult
    public func add(_ messages: [Message], loopDepth: Int = 0) -> Int {
        state.withLock { $0.table.add(messages, loopDepth: loopDepth) }
    }

    public func tick(context: FilterContext) async throws {
        let (interval, contexts) = state.withLock { state in
            let interval = endInterval(&state, at: WallClock.nowNanoseconds(), hostname: context.hostname,
                                       logger: ByteString(context.name))
            defer { state.contexts = [:] }
            return (interval, state.contexts)
        }
        report(interval, logger: context.logger, name: context.name)
        var byDepth: [Int: [Message]] = [:]
        for (message, depth) in zip(interval.messages, interval.loopDepths) { byDepth[depth, default: []].append(message) }
        for (depth, messages) in byDepth.sorted(by: { $0.key < $1.key }) {
            await injector.inject(messages, through: contexts[depth] ?? context)
        }
    }

    /// Ends the current interval at `timestamp` (nanoseconds): `tick` without a runtime.
    public func endInterval(at timestamp: Int64, hostname: ByteString, logger: ByteString) -> Interval {
        state.withLock { endInterval(&$0, at: timestamp, hostname: hostname, logger: logger) }
    }

    private func endInterval(_ state: inout State, at timestamp: Int64, hostname: ByteString, logger: ByteString) -> Interval {
        let (groups, overflow) = state.table.endInterval(at: timestamp)
        var interval = Interval(messages: [], loopDepths: [], overflowMessages: overflow, saturatedDistinct: [])
        var saturated = Set<Int>()
        for group in groups {
            let header = injector.header(type: options.type, timestamp: timestamp, hostname: hostname, logger: logger,
                                         ids: &state.ids)
            interval.messages.append(builder.message(for: group, header: header))
            interval.loopDepths.append(group.loopDepth)
            for (slot, counter) in group.distinct.enumerated() where counter.saturated { saturated.insert(slot) }
        }
        interval.saturatedDistinct = saturated.sorted().map { options.distinct[$0].outputName }
        return interval
    }

    private func report(_ interval: Interval, logger: Logger, name: String) {
        if interval.overflowMessages > 0 {
            logger.warning("max_groups reached: messages of new groups were not aggregated this interval",
                           metadata: ["plugin": "\(name)", "max_groups": "\(options.maxGroups)",
                                      "dropped": "\(interval.overflowMessages)"])
        }
        if !interval.saturatedDistinct.isEmpty {
            logger.warning("max_distinct reached: these distinct counts are lower bounds this interval",
                           metadata: ["plugin": "\(name)", "max_distinct": "\(options.maxDistinct)",
                                      "variables": "\(interval.saturatedDistinct.joined(separator: ","))"])
        }
    }
}
