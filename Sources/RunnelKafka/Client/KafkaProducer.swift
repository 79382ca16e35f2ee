import CRdKafka
import DequeModule
import Foundation
import Logging
import Synchronization

/// A librdkafka producer driven by a thread of its own, so that neither producing (which waits
/// while librdkafka's queue is full) nor serving delivery reports ever blocks the cooperative pool.
///
/// `send` hands a batch to the thread and returns once librdkafka holds all of it (that wait is
/// the backpressure); the batch's completion runs on the producer thread once every record has a
/// final delivery report. Retriable failures are produced again with a backoff, permanent ones are
/// reported to the completion, and a fatal error (idempotence violated) rebuilds the librdkafka
/// client and produces again everything not yet reported delivered.
public final class KafkaProducer: Sendable {
    public typealias Completion = @Sendable (_ failures: [KafkaDeliveryFailure]) -> Void

    struct Submission: Sendable {
        let records: KafkaRecordBatch
        let completion: Completion
        /// Resumed once librdkafka holds the records; nil when the caller did not wait.
        let accepted: CheckedContinuation<Void, Never>?
    }

    /// Submissions that may wait for the producer thread without their sender waiting too: the
    /// next batch is encoded while the thread produces the previous one.
    static let unwaitedSubmissions = 2

    struct Shared {
        var inbox: Deque<Submission> = []
        var closing = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// The current client's address, for waking its poll; nil while it is rebuilt. (An
        /// address rather than the pointer: the pointer type is not Sendable.)
        var clientAddress: UInt?
        var client: OpaquePointer? { clientAddress.flatMap { OpaquePointer(bitPattern: $0) } }
        var inFlightRecords = 0
        var rebuilds = 0
        var statistics: KafkaProducerStatistics?
    }

    /// The state the caller's tasks and the producer thread share.
    final class SharedState: Sendable {
        let mutex = Mutex(Shared())
    }

    let shared = SharedState()
    /// Wakes the producer thread; open until the thread has seen `closing`.
    let wakeup = ProducerWakeup()
    private let finished = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let done = Mutex(false)

    /// Starts the producer thread with a client built from `properties`.
    /// `stallTimeout`: with records in flight and no final delivery report for this long, the
    /// client is rebuilt as after a fatal error (nil: never).
    public init(properties: KafkaProperties, stallTimeout: Duration? = nil, logger: Logger) throws(KafkaClientError) {
        let loop = try ProducerLoop(properties: properties, stallTimeout: stallTimeout, logger: logger, shared: shared, wakeup: wakeup)
        shared.mutex.withLock { $0.clientAddress = UInt(bitPattern: loop.client) }
        let thread = Thread { [self] in
            loop.run()
            let waiters = finished.withLock { waiters in
                done.withLock { $0 = true }
                defer { waiters.removeAll() }
                return waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = "kafka-producer"
        thread.start()
    }

    /// Hands `records` to the producer; returns at once while few submissions wait for the
    /// producer thread, else once librdkafka has queued these records (the wait is the
    /// backpressure). `completion` runs on the producer thread when every record is delivered or
    /// failed for good.
    public func send(_ records: [KafkaRecord], completion: @escaping Completion) async {
        await send(KafkaRecordBatch(records), completion: completion)
    }

    /// `send` for records already packed into one buffer (the output's path: no per-record arrays).
    public func send(_ records: KafkaRecordBatch, completion: @escaping Completion) async {
        let queuedWithoutWaiting: Bool = shared.mutex.withLock { shared in
            guard !shared.closing, shared.inbox.count < Self.unwaitedSubmissions else { return false }
            shared.inbox.append(Submission(records: records, completion: completion, accepted: nil))
            wakeup.signal()
            return true
        }
        if queuedWithoutWaiting { return }
        await withCheckedContinuation { (accepted: CheckedContinuation<Void, Never>) in
            let closing: Bool = shared.mutex.withLock { shared in
                guard !shared.closing else { return true }
                shared.inbox.append(Submission(records: records, completion: completion, accepted: accepted))
                wakeup.signal()
                return false
            }
            if closing { accepted.resume() }
        }
    }

    /// Waits until everything sent has its final delivery report.
    public func waitUntilIdle() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle: Bool = shared.mutex.withLock { shared in
                if shared.inbox.isEmpty && shared.inFlightRecords == 0 { return true }
                shared.idleWaiters.append(waiter)
                if !shared.closing { wakeup.signal() }
                return false
            }
            if idle { waiter.resume() }
        }
    }

    /// Stops the thread and destroys the client; anything unreported is abandoned (its batches
    /// stay unconfirmed, so the runtime hands them out again or the input reads them again).
    public func close() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let already: Bool = finished.withLock { slot in
                if done.withLock({ $0 }) { return true }
                slot.append(waiter)
                return false
            }
            shared.mutex.withLock { shared in
                if !shared.closing { wakeup.signal() }
                shared.closing = true
            }
            if already { waiter.resume() }
        }
    }

    /// Records queued in librdkafka or awaiting a retry.
    public var inFlightRecords: Int { shared.mutex.withLock { $0.inFlightRecords } }

    /// Times the client was rebuilt after a fatal error.
    public var rebuilds: Int { shared.mutex.withLock { $0.rebuilds } }

    /// The latest librdkafka statistics (with `statistics.interval.ms` set).
    public var statistics: KafkaProducerStatistics? { shared.mutex.withLock { $0.statistics } }
}

/// The producer client could not be created.
public struct KafkaClientError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

extension KafkaProducer {
    /// Raises a fatal error in the client as a broker would (librdkafka's testing hook), to
    /// exercise the rebuild.
    public func triggerFatalErrorForTesting() {
        shared.mutex.withLock { shared in
            guard let client = shared.client else { return }
            _ = rd_kafka_test_fatal_error(client, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "fatal error raised by a test")
        }
    }
}
