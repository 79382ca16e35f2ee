import Synchronization

/// Items between the output's loop and its requests: those waiting for a retry time, groups split
/// off a too-large request (sent as they are, at once), and the bytes every unresolved item holds,
/// which bound how much the output takes from its queue (so an outage pushes back on the inputs
/// instead of growing memory).
final class HeldItems: Sendable {
    private struct State {
        var retries: [(due: ContinuousClock.Instant, item: BulkItem)] = []
        var splits: [[BulkItem]] = []
        var heldBytes = 0
        var peakHeldBytes = 0
        var inFlight = 0
    }

    private let state = Mutex(State())

    var heldBytes: Int { state.withLock { $0.heldBytes } }
    var peakHeldBytes: Int { state.withLock { $0.peakHeldBytes } }

    /// Nothing waits for a retry or a split and no request is out.
    var isIdle: Bool { state.withLock { $0.retries.isEmpty && $0.splits.isEmpty && $0.inFlight == 0 } }

    var hasWork: Bool { state.withLock { !$0.retries.isEmpty || !$0.splits.isEmpty || $0.inFlight > 0 } }

    func hold(bytes: Int) {
        state.withLock {
            $0.heldBytes += bytes
            $0.peakHeldBytes = max($0.peakHeldBytes, $0.heldBytes)
        }
    }

    func resolved(bytes: Int) {
        state.withLock { $0.heldBytes -= bytes }
    }

    /// Counts a request as started (encoding, waiting for a slot or out) unless `limit` already are.
    func tryStartRequest(limit: Int) -> Bool {
        state.withLock { state in
            guard state.inFlight < limit else { return false }
            state.inFlight += 1
            return true
        }
    }

    func requestEnded() { state.withLock { $0.inFlight -= 1 } }

    func retry(_ items: [BulkItem], after delays: [Duration]) {
        let now = ContinuousClock.now
        state.withLock { state in
            for (item, delay) in zip(items, delays) { state.retries.append((now + delay, item)) }
        }
    }

    func split(_ groups: [[BulkItem]]) {
        state.withLock { $0.splits += groups }
    }

    /// Retries whose time has come, oldest first.
    func takeDueRetries(now: ContinuousClock.Instant = .now) -> [BulkItem] {
        state.withLock { state in
            guard state.retries.contains(where: { $0.due <= now }) else { return [] }
            var due: [BulkItem] = []
            state.retries.removeAll { entry in
                guard entry.due <= now else { return false }
                due.append(entry.item)
                return true
            }
            return due
        }
    }

    func takeSplit() -> [BulkItem]? {
        state.withLock { $0.splits.isEmpty ? nil : $0.splits.removeFirst() }
    }

    func putBackSplit(_ group: [BulkItem]) {
        state.withLock { $0.splits.insert(group, at: 0) }
    }
}
