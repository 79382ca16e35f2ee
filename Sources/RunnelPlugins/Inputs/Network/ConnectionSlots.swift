import Synchronization

/// Counts a listener's open connections against `max_connections`. The accept loop waits for a
/// free slot, so extra clients wait in the kernel's accept backlog (and their writes block)
/// rather than being refused.
final class ConnectionSlots: Sendable {
    private struct State {
        var open = 0
        var waiter: CheckedContinuation<Void, Never>?
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var open: Int { state.withLock { $0.open } }

    /// Takes a slot, waiting while all are in use; false when the task was cancelled meanwhile.
    /// One caller at a time (the accept loop).
    func acquire() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.open < limit || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }
        return state.withLock { state in
            guard !Task.isCancelled else { return false }
            state.open += 1
            return true
        }
    }

    func release() {
        state.withLock { state in
            state.open -= 1
            defer { state.waiter = nil }
            return state.open < limit ? state.waiter : nil
        }?.resume()
    }
}
