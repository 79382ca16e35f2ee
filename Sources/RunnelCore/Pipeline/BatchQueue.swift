import DequeModule
import Synchronization

/// What a full queue does with a new batch (DESIGN §1.3).
public enum QueueFullPolicy: String, Sendable, CaseIterable {
    /// The producer waits until the consumer made room: backpressure up to the input.
    case block
    /// The batch is refused and its messages are counted as dropped.
    case drop
}

/// A multi-producer queue of batches bounded in bytes, feeding one filter or output.
///
/// A batch larger than the whole capacity is still accepted when the queue is empty, so an
/// oversized batch slows the pipeline down instead of wedging it.
public final class BatchQueue: Sendable {
    public enum PushResult: Sendable, Equatable {
        case accepted
        /// Refused under the `drop` policy.
        case full
        /// The queue was closed (shutdown or reload); the batch was not taken.
        case closed
        /// The producer's task was cancelled while it waited for room; the batch was not taken.
        case cancelled
    }

    private struct State {
        var batches = Deque<RoutedBatch>()
        var bytes = 0
        var closed = false
        var waitingConsumers: [(id: UInt64, continuation: CheckedContinuation<RoutedBatch?, Never>)] = []
        var nextConsumerID: UInt64 = 0
        var waitingProducers: [(id: UInt64, batch: RoutedBatch, continuation: CheckedContinuation<PushResult, Never>)] = []
        var nextProducerID: UInt64 = 0
        /// Producers cancelled before they registered (the cancellation handler ran first).
        var cancelledProducers: Set<UInt64> = []
    }

    public let capacityBytes: Int
    public let policy: QueueFullPolicy
    private let state = Mutex(State())

    public init(capacityBytes: Int, policy: QueueFullPolicy = .block) {
        self.capacityBytes = max(1, capacityBytes)
        self.policy = policy
    }

    /// Bytes and batches queued now.
    public var depth: (bytes: Int, batches: Int) {
        state.withLock { ($0.bytes, $0.batches.count) }
    }

    public var isClosedAndEmpty: Bool {
        state.withLock { $0.closed && $0.batches.isEmpty }
    }

    public func push(_ batch: RoutedBatch) async -> PushResult {
        enum Immediate { case done(PushResult), handOff(CheckedContinuation<RoutedBatch?, Never>), wait }
        let immediate: Immediate = state.withLock { state in
            if state.closed { return .done(.closed) }
            if !state.waitingConsumers.isEmpty {
                return .handOff(state.waitingConsumers.removeFirst().continuation)
            }
            if state.batches.isEmpty || state.bytes + batch.byteSize <= capacityBytes {
                state.batches.append(batch)
                state.bytes += batch.byteSize
                return .done(.accepted)
            }
            return policy == .drop ? .done(.full) : .wait
        }
        switch immediate {
        case .done(let result):
            return result
        case .handOff(let consumer):
            consumer.resume(returning: batch)
            return .accepted
        case .wait:
            // A waiting producer can be cancelled (an input stopping at shutdown or reload while
            // its destination is stuck): it gets `.cancelled` and its batch stays unsettled, so the
            // input will read it again rather than lose it.
            let id = state.withLock { state -> UInt64 in
                state.nextProducerID += 1
                return state.nextProducerID
            }
            return await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow: PushResult? = state.withLock { state in
                        if state.cancelledProducers.remove(id) != nil { return .cancelled }
                        // Re-check: the consumer may have made room between the two locks.
                        if state.closed { return .closed }
                        if state.batches.isEmpty || state.bytes + batch.byteSize <= capacityBytes {
                            state.batches.append(batch)
                            state.bytes += batch.byteSize
                            return .accepted
                        }
                        state.waitingProducers.append((id, batch, continuation))
                        return nil
                    }
                    if let resumeNow { continuation.resume(returning: resumeNow) }
                }
            } onCancel: {
                let waiting = state.withLock { state -> CheckedContinuation<PushResult, Never>? in
                    if let index = state.waitingProducers.firstIndex(where: { $0.id == id }) {
                        return state.waitingProducers.remove(at: index).continuation
                    }
                    state.cancelledProducers.insert(id)
                    return nil
                }
                waiting?.resume(returning: .cancelled)
            }
        }
    }

    /// The next batch, waiting for one; nil once the queue is closed and empty.
    public func pop() async -> RoutedBatch? {
        await pop(timeout: nil)
    }

    /// The next batch, waiting at most `timeout`; nil on timeout or once closed and empty.
    public func pop(timeout: Duration?) async -> RoutedBatch? {
        if let ready = tryPopLocked() { return ready.batch }
        return await withCheckedContinuation { continuation in
            let outcome: (batch: RoutedBatch?, resume: Bool, admitted: [CheckedContinuation<PushResult, Never>], waiterID: UInt64?) =
                state.withLock { state in
                    if !state.batches.isEmpty {
                        let batch = takeFirst(&state)
                        return (batch, true, admitWaiting(&state), nil)
                    }
                    if state.closed { return (nil, true, [], nil) }
                    state.nextConsumerID += 1
                    state.waitingConsumers.append((state.nextConsumerID, continuation))
                    return (nil, false, [], state.nextConsumerID)
                }
            for producer in outcome.admitted { producer.resume(returning: .accepted) }
            if outcome.resume {
                continuation.resume(returning: outcome.batch)
            } else if let timeout, let waiterID = outcome.waiterID {
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.expireWaiter(waiterID)
                }
            }
        }
    }

    /// Resumes a consumer that is still waiting when its timeout passes; one handed a batch
    /// meanwhile is no longer in the list, so each waiter is resumed exactly once.
    private func expireWaiter(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<RoutedBatch?, Never>? in
            guard let index = state.waitingConsumers.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waitingConsumers.remove(at: index).continuation
        }
        waiter?.resume(returning: nil)
    }

    /// A batch if one is queued, without waiting.
    public func tryPop() -> RoutedBatch? {
        tryPopLocked()?.batch
    }

    /// Refuses new batches and wakes everyone: waiting producers get `.closed`, consumers drain what
    /// is queued and then get nil.
    public func close() {
        let (consumers, producers) = state.withLock { state in
            state.closed = true
            let consumers = state.batches.isEmpty ? state.waitingConsumers : []
            if state.batches.isEmpty { state.waitingConsumers.removeAll() }
            let producers = state.waitingProducers.map(\.continuation)
            state.waitingProducers.removeAll()
            return (consumers, producers)
        }
        for consumer in consumers { consumer.continuation.resume(returning: nil) }
        for producer in producers { producer.resume(returning: .closed) }
    }

    private func tryPopLocked() -> (batch: RoutedBatch, admitted: Void)? {
        let result: (RoutedBatch, [CheckedContinuation<PushResult, Never>])? = state.withLock { state in
            guard !state.batches.isEmpty else { return nil }
            let batch = takeFirst(&state)
            return (batch, admitWaiting(&state))
        }
        guard let result else { return nil }
        for producer in result.1 { producer.resume(returning: .accepted) }
        return (result.0, ())
    }

    private func takeFirst(_ state: inout State) -> RoutedBatch {
        let batch = state.batches.removeFirst()
        state.bytes -= batch.byteSize
        return batch
    }

    /// Moves waiting producers' batches into the queue while they fit, in arrival order.
    private func admitWaiting(_ state: inout State) -> [CheckedContinuation<PushResult, Never>] {
        var admitted: [CheckedContinuation<PushResult, Never>] = []
        while let first = state.waitingProducers.first,
              state.batches.isEmpty || state.bytes + first.batch.byteSize <= capacityBytes {
            state.waitingProducers.removeFirst()
            state.batches.append(first.batch)
            state.bytes += first.batch.byteSize
            admitted.append(first.continuation)
        }
        return admitted
    }
}
