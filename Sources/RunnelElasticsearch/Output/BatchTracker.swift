import RunnelCore
import Synchronization

/// Follows the messages of one batch through Elasticsearch: each is stored, a duplicate of a stored
/// document, dead-lettered or dropped, at its own time (items are retried alone). When the last one
/// is decided the batch is settled, so the input's checkpoint moves exactly past what Elasticsearch
/// or the dead-letter file has.
final class BatchTracker: Sendable {
    private struct State {
        var remaining: Int
        var dropped: [String: [Int]] = [:]
    }

    let batch: OutputBatch
    /// The batch's messages, held once here so requests read them without copying the array.
    let messages: [Message]
    private let state: Mutex<State>

    init(batch: OutputBatch) {
        self.batch = batch
        messages = batch.messages
        state = Mutex(State(remaining: batch.messages.count))
        if batch.messages.isEmpty { batch.confirm() }
    }

    func delivered(_ position: Int) {
        finish(position, droppedFor: nil)
    }

    /// `count` of its messages delivered at once (a request's run of items from this batch), one
    /// lock instead of one per message.
    func delivered(count: Int) {
        let settled: [String: [Int]]? = state.withLock { state in
            state.remaining -= count
            return state.remaining == 0 ? state.dropped : nil
        }
        guard let settled else { return }
        if settled.isEmpty { batch.confirm() } else { batch.settle(droppedByReason: settled) }
    }

    /// Dropped, counted under `reason` (dead-lettered messages are counted as `dead_letter`).
    func dropped(_ position: Int, reason: String) {
        finish(position, droppedFor: reason)
    }

    private func finish(_ position: Int, droppedFor reason: String?) {
        let settled: [String: [Int]]? = state.withLock { state in
            if let reason { state.dropped[reason, default: []].append(position) }
            state.remaining -= 1
            return state.remaining == 0 ? state.dropped : nil
        }
        guard let settled else { return }
        if settled.isEmpty { batch.confirm() } else { batch.settle(droppedByReason: settled) }
    }
}
