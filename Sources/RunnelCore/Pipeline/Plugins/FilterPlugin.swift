import Logging

/// A transform that consumes messages and may inject new ones (Heka's filters: counters,
/// aggregates). A batch counts as delivered once `process` returns.
public protocol FilterPlugin: Sendable {
    func process(_ messages: [Message], context: FilterContext) async throws
    /// Called every `ticker_interval` seconds when the filter has one.
    func tick(context: FilterContext) async throws
}

extension FilterPlugin {
    public func tick(context: FilterContext) async throws {}
}

/// What the runtime gives a filter: injection into the router (bounded by `max_message_loops`)
/// and its counters.
public final class FilterContext: Sendable {
    public let name: String
    public let hostname: ByteString
    public let counters: PluginCounters
    public let logger: Logger
    public let maxMessageLoops: Int
    /// How many injections deep the batch being processed is (0 for a tick or input messages).
    /// A filter that injects later (on its tick) keeps the context of the deepest batch it
    /// aggregated and injects through it, so its output still counts toward `max_message_loops`.
    public let loopDepth: Int
    private let router: Router

    public init(name: String, hostname: ByteString, counters: PluginCounters, logger: Logger,
                maxMessageLoops: Int, router: Router, loopDepth: Int = 0) {
        self.name = name
        self.hostname = hostname
        self.counters = counters
        self.logger = logger
        self.maxMessageLoops = maxMessageLoops
        self.router = router
        self.loopDepth = loopDepth
    }

    /// The context for processing a batch that is `depth` injections deep.
    func atDepth(_ depth: Int) -> FilterContext {
        FilterContext(name: name, hostname: hostname, counters: counters, logger: logger,
                      maxMessageLoops: maxMessageLoops, router: router, loopDepth: depth)
    }

    /// Routes new messages. A message injected in response to a message that was itself injected
    /// `max_message_loops` times is dropped (counted as `message_loop`), so a filter that matches
    /// its own output cannot loop forever.
    public func inject(_ messages: [Message]) async {
        guard !messages.isEmpty else { return }
        guard loopDepth < maxMessageLoops else {
            counters.addDropped(messages.count, reason: "message_loop")
            return
        }
        counters.add(\.injected, messages.count)
        await router.route(messages, acknowledgement: nil, loopDepth: loopDepth + 1)
    }
}
