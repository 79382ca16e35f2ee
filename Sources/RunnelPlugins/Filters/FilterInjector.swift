import Logging
import RunnelCore

#if canImport(Glibc)
import Glibc
#endif

/// How a filter that reports on its tick sends its messages into the router.
///
/// Two guards against routing loops. Messages the filter's own `message_matcher` selects are
/// refused (counted as dropped, reason `self_injection`, and logged), as Heka refused a filter
/// injecting to itself. And a report is injected through the context of the deepest batch it was
/// computed from, not the tick's (depth 0), so a cycle of filters feeding each other still ends at
/// the global `max_message_loops`.
struct FilterInjector: Sendable {
    let ownMatcher: MessageMatcher?
    let pid = Int32(truncatingIfNeeded: getpid())

    init(ownMatcher: MessageMatcher?) {
        self.ownMatcher = ownMatcher
    }

    /// A new message's header, as Heka filled a fresh pack: this host, the agent's pid, a random
    /// uuid; `logger` is the filter's name.
    func header(type: ByteString, timestamp: Int64, hostname: ByteString, logger: ByteString,
                ids: inout MessageIDGenerator) -> Message {
        Message(uuid: ids.uuid(), timestamp: timestamp, type: type, logger: logger, pid: pid, hostname: hostname)
    }

    func inject(_ messages: [Message], through context: FilterContext) async {
        var accepted = messages
        if let ownMatcher { accepted.removeAll { ownMatcher.matches($0) } }
        let refused = messages.count - accepted.count
        if refused > 0 {
            context.counters.addDropped(refused, reason: "self_injection")
            context.logger.error("refused to inject messages this filter's own message_matcher selects (they would loop back into it)",
                                 metadata: ["plugin": "\(context.name)", "refused": "\(refused)",
                                            "message_matcher": "\(ownMatcher?.expression ?? "")"])
        }
        await context.inject(accepted)
    }
}

/// The context of the deepest batch a filter processed since its last report (see `FilterInjector`).
struct DeepestContext: Sendable {
    private(set) var context: FilterContext?

    mutating func note(_ candidate: FilterContext) {
        if let current = context, current.loopDepth >= candidate.loopDepth { return }
        context = candidate
    }

    /// The deepest context, or `fallback` when no batch came; then forgets it.
    mutating func take(or fallback: FilterContext) -> FilterContext {
        defer { context = nil }
        return context ?? fallback
    }
}
