import Synchronization

/// How many bulk requests may be in flight, adjusted from what Elasticsearch says: halved when it
/// pushes back (429, or many items rejected as throttled) or when responses grow much slower
/// than the fastest seen lately; raised by one after a quick, clean response (AIMD, as TCP).
final class AdaptiveConcurrency: Sendable {
    struct Snapshot: Sendable, Equatable {
        var limit: Int
        var inFlight: Int
        var decreases: Int
        var increases: Int
    }

    private struct State {
        var limit: Int
        var inFlight = 0
        /// The fastest response lately (seconds per MiB), drifting up slowly so an old record
        /// does not count for ever.
        var baseline: Double?
        var decreases = 0
        var increases = 0
        /// Requests whose bodies are ready, waiting for a slot, first come first served.
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextWaiterID: UInt64 = 0
    }

    let minimum: Int
    let maximum: Int
    /// A response this many times slower than the baseline counts as congestion.
    let latencyTolerance: Double
    private let state: Mutex<State>

    init(initial: Int, minimum: Int, maximum: Int, latencyTolerance: Double = 3) {
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        self.latencyTolerance = latencyTolerance
        state = Mutex(State(limit: min(max(initial, self.minimum), self.maximum)))
    }

    var snapshot: Snapshot {
        state.withLock { Snapshot(limit: $0.limit, inFlight: $0.inFlight, decreases: $0.decreases, increases: $0.increases) }
    }

    var limit: Int { state.withLock { $0.limit } }

    /// Requests with a ready body waiting for a slot.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// True when a request may start now (and counts it as started); false while others wait.
    func tryAcquire() -> Bool {
        state.withLock { state in
            guard state.inFlight < state.limit && state.waiters.isEmpty else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Waits for a slot and takes it; false when the task is cancelled first (nothing taken).
    func acquire() async -> Bool {
        if tryAcquire() { return true }
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let granted = state.withLock { state -> Bool? in
                    if Task.isCancelled { return false }
                    guard state.inFlight >= state.limit || !state.waiters.isEmpty else {
                        state.inFlight += 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let granted { continuation.resume(returning: granted) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
            }
            waiter?.resume(returning: false)
        }
    }

    enum Signal {
        case clean, throttled, failed
        /// The slot was taken but nothing was sent (every message failed to encode).
        case unused
    }

    /// A request ended: `bytes` sent, answered after `latency`.
    func release(signal: Signal, latency: Duration, bytes: Int) {
        let granted = state.withLock { state in
            state.inFlight -= 1
            let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18
            let perMiB = seconds / max(Double(bytes) / 1_048_576, 0.05)
            switch signal {
            case .unused:
                break
            case .throttled, .failed:
                if state.limit > minimum {
                    state.limit = max(minimum, state.limit / 2)
                    state.decreases += 1
                }
            case .clean:
                let baseline = state.baseline.map { min($0 * 1.01, perMiB) } ?? perMiB
                state.baseline = baseline
                if perMiB > baseline * latencyTolerance && seconds > 0.05 {
                    if state.limit > minimum {
                        state.limit -= 1
                        state.decreases += 1
                    }
                } else if state.limit < maximum {
                    state.limit += 1
                    state.increases += 1
                }
            }
            var granted: [CheckedContinuation<Bool, Never>] = []
            while state.inFlight < state.limit && !state.waiters.isEmpty {
                state.inFlight += 1
                granted.append(state.waiters.removeFirst().continuation)
            }
            return granted
        }
        for waiter in granted { waiter.resume(returning: true) }
    }
}
