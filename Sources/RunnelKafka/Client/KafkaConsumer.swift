import CRdKafka
import DequeModule
import Foundation
import Logging
import RunnelCore
import Synchronization

/// A librdkafka consumer driven by a thread of its own: it polls, turns records into KafkaInput's
/// messages, gathers them into batches and hands them over through a short queue (a full queue holds the thread back: backpressure). Offsets
/// are stored only when the caller says the records were confirmed downstream, and committed by
/// librdkafka's auto-commit of stored offsets, at a revoke and at close.
public final class KafkaConsumer: Sendable {
    struct Handoff {
        var batches: Deque<KafkaConsumedBatch> = []
        var waiter: CheckedContinuation<KafkaConsumedBatch?, Never>?
        /// No more batches are handed out (the input is stopping); offsets may still be stored.
        var stopped = false
        var closing = false
        var closed = false
    }

    final class SharedState: Sendable {
        let handoff = Mutex(Handoff())
        /// Wakes the thread when the handoff has room or the consumer closes.
        let room = NSCondition()
        let finished = Mutex<[CheckedContinuation<Void, Never>]>([])
        let exited = Mutex(false)
    }

    static let queuedBatches = 4
    let shared = SharedState()
    private let loop: ConsumerLoop

    public init(properties: KafkaProperties, subscription: KafkaSubscription, offsetMethod: KafkaOffsetMethod,
                maxBatch: Int = 2000, hostname: ByteString, logger: Logger) throws(KafkaClientError) {
        let loop = try ConsumerLoop(properties: properties, subscription: subscription, offsetMethod: offsetMethod,
                                    maxBatch: maxBatch, hostname: hostname, logger: logger, shared: shared)
        self.loop = loop
        let shared = shared
        let thread = Thread {
            loop.run()
            let waiters = shared.finished.withLock { waiters in
                shared.exited.withLock { $0 = true }
                defer { waiters.removeAll() }
                return waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = "kafka-consumer"
        thread.start()
    }

    /// The next batch of records; nil once the consumer is closing.
    func next() async -> KafkaConsumedBatch? {
        await withCheckedContinuation { (continuation: CheckedContinuation<KafkaConsumedBatch?, Never>) in
            enum Step { case batch(KafkaConsumedBatch), end, wait }
            let step: Step = shared.handoff.withLock { handoff in
                if let batch = handoff.batches.popFirst() { return .batch(batch) }
                if handoff.closing || handoff.stopped { return .end }
                handoff.waiter = continuation
                return .wait
            }
            switch step {
            case .batch(let batch):
                shared.room.lock(); shared.room.signal(); shared.room.unlock()
                continuation.resume(returning: batch)
            case .end:
                continuation.resume(returning: nil)
            case .wait:
                break
            }
        }
    }

    /// Marks records up to and including `offset` of a partition as processed: the offset after it
    /// is committed with the next commit. Ignored for partitions no longer assigned to this consumer
    /// under the same assignment.
    public func confirm(topic: String, partition: Int32, offset: Int64, assignment: UInt64) {
        loop.storeOffset(topic: topic, partition: partition, next: offset + 1, assignment: assignment)
    }

    /// Stops handing out batches (`next()` returns nil) while the client stays up, so that offsets
    /// of batches confirmed from now on are still committed by `close()`.
    public func stopDelivering() {
        let pending = shared.handoff.withLock { handoff in
            handoff.stopped = true
            return handoff.waiter.take()
        }
        pending?.resume(returning: nil)
        shared.room.lock(); shared.room.signal(); shared.room.unlock()
    }

    /// Stops polling, commits the stored offsets, leaves the group and destroys the client.
    public func close() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let already: Bool = shared.finished.withLock { slot in
                if shared.exited.withLock({ $0 }) { return true }
                slot.append(waiter)
                return false
            }
            let pending = shared.handoff.withLock { handoff in
                handoff.closing = true
                return handoff.waiter.take()
            }
            pending?.resume(returning: nil)
            shared.room.lock(); shared.room.signal(); shared.room.unlock()
            if already { waiter.resume() }
        }
    }

    /// Current assignment, for tests and status: `topic/partition` names.
    public var assignedPartitions: [String] { loop.assignedNames }
}
