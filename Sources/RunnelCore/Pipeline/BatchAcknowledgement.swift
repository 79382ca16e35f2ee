import Synchronization

/// What became of an input batch once every destination settled it.
public struct BatchOutcome: Sendable, Equatable {
    public var messages: Int
    /// Confirmed by every destination that accepted them.
    public var delivered: Int
    /// Matched by no filter or output: acknowledged at once.
    public var unmatched: Int
    /// Dropped by at least one destination, per reason (a message counts once, under its first reason).
    public var dropped: [String: Int]

    public var droppedTotal: Int { dropped.values.reduce(0, +) }

    public init(messages: Int, delivered: Int, unmatched: Int, dropped: [String: Int]) {
        self.messages = messages
        self.delivered = delivered
        self.unmatched = unmatched
        self.dropped = dropped
    }
}

/// The acknowledgement token of one input batch (DESIGN §6).
///
/// The router holds one reference while it routes and takes one more for every destination queue a
/// part of the batch goes to; each destination settles its part (confirmed or dropped by policy).
/// When the last part settles, `onSettled` runs exactly once, so the input may move its checkpoint.
public final class BatchAcknowledgement: Sendable {
    private struct State {
        var pending = 1
        var unmatched = 0
        /// Per message index: the first drop reason, when any destination dropped it.
        var dropReasons: [Int: String] = [:]
        var settled = false
    }

    public let messageCount: Int
    private let state = Mutex(State())
    private let onSettled: @Sendable (BatchOutcome) -> Void

    public init(messageCount: Int, onSettled: @escaping @Sendable (BatchOutcome) -> Void) {
        self.messageCount = messageCount
        self.onSettled = onSettled
    }

    /// One more destination holds part of the batch.
    public func retain() {
        state.withLock { $0.pending += 1 }
    }

    /// The router found `count` messages no destination wanted.
    public func noteUnmatched(_ count: Int) {
        state.withLock { $0.unmatched += count }
    }

    /// A destination dropped these messages (indices into the input batch) by policy.
    public func noteDropped(_ indices: some Sequence<Int>, reason: String) {
        state.withLock { state in
            for index in indices where state.dropReasons[index] == nil {
                state.dropReasons[index] = reason
            }
        }
    }

    /// A holder is done with its part (confirmed or dropped).
    public func release() {
        let outcome: BatchOutcome? = state.withLock { state in
            state.pending -= 1
            guard state.pending == 0, !state.settled else { return nil }
            state.settled = true
            var dropped: [String: Int] = [:]
            for reason in state.dropReasons.values { dropped[reason, default: 0] += 1 }
            let droppedTotal = state.dropReasons.count
            return BatchOutcome(messages: messageCount,
                                delivered: messageCount - state.unmatched - droppedTotal,
                                unmatched: state.unmatched, dropped: dropped)
        }
        if let outcome { onSettled(outcome) }
    }
}
