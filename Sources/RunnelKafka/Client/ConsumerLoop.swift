import CRdKafka
import Foundation
import Logging
import RunnelCore
import Synchronization

/// The consumer thread's work. The client handle is used from that thread for polling and from the
/// caller's threads only for `rd_kafka_offsets_store`, which librdkafka documents as thread-safe;
/// the assignment table is behind a mutex. Hence `@unchecked Sendable`.
final class ConsumerLoop: @unchecked Sendable {
    private var client: OpaquePointer
    private let subscription: KafkaSubscription
    private let offsetMethod: KafkaOffsetMethod
    private let maxBatch: Int
    private let logger: Logger
    private let shared: KafkaConsumer.SharedState
    /// Used only on the consumer thread.
    private var messages: KafkaRecordMessages

    struct Assignments {
        /// `topic/partition` → the assignment generation it is held under.
        var current: [String: UInt64] = [:]
        var generation: UInt64 = 0
        /// Partitions assigned before in this process (Oldest/Newest apply on the first assignment only).
        var seen: Set<String> = []
        /// Set before the client is destroyed: stores arriving later (outputs confirming after
        /// the input stopped) are ignored instead of touching a freed client.
        var closed = false
    }
    private let assignments = Mutex(Assignments())
    private var lastLoggedError: (code: Int32, at: ContinuousClock.Instant)?
    /// Topic name, assignment and the fields shared by its messages per (topic handle, partition),
    /// so that reading a record formats no strings; cleared at every rebalance. Used only on the
    /// consumer thread.
    private struct PartitionKey: Hashable {
        let topic: UnsafeRawPointer
        let partition: Int32
    }
    /// A class: taking the entry for a record is one retain, not one per string and field it holds.
    private final class PartitionEntry {
        let topic: String
        let assignment: UInt64
        let names: KafkaRecordMessages.PartitionNames

        init(topic: String, assignment: UInt64, names: KafkaRecordMessages.PartitionNames) {
            self.topic = topic
            self.assignment = assignment
            self.names = names
        }
    }
    private var partitionCache: [PartitionKey: PartitionEntry] = [:]
    /// The entry of the previous record: records come in runs of one partition, so most skip the
    /// hashing. Cleared with the cache.
    private var lastPartition: (key: PartitionKey, entry: PartitionEntry)?

    init(properties: KafkaProperties, subscription: KafkaSubscription, offsetMethod: KafkaOffsetMethod,
         maxBatch: Int, hostname: ByteString, logger: Logger, shared: KafkaConsumer.SharedState) throws(KafkaClientError) {
        self.subscription = subscription
        self.offsetMethod = offsetMethod
        self.maxBatch = maxBatch
        self.logger = logger
        self.shared = shared
        messages = KafkaRecordMessages(hostname: hostname)
        let conf: OpaquePointer
        do {
            conf = try properties.makeConfiguration()
        } catch {
            throw KafkaClientError(reason: error.description)
        }
        client = OpaquePointer(bitPattern: 1)!
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_rebalance_cb(conf) { handle, code, partitions, opaque in
            guard let opaque, let handle else { return }
            Unmanaged<ConsumerLoop>.fromOpaque(opaque).takeUnretainedValue().rebalance(handle, code, partitions)
        }
        client = try newKafkaClient(RD_KAFKA_CONSUMER, conf)
        try start()
    }

    private func start() throws(KafkaClientError) {
        switch subscription {
        case .topics(let topics, let pattern):
            let list = rd_kafka_topic_partition_list_new(Int32(topics.count + 1))!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for topic in topics { rd_kafka_topic_partition_list_add(list, topic, -1) }
            if let pattern { rd_kafka_topic_partition_list_add(list, pattern.hasPrefix("^") ? pattern : "^" + pattern, -1) }
            let status = rd_kafka_subscribe(client, list)
            guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
                rd_kafka_destroy(client)
                throw KafkaClientError(reason: "cannot subscribe: \(KafkaError(status))")
            }
        case .partitions(let partitions):
            let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for (topic, partition) in partitions {
                let element = rd_kafka_topic_partition_list_add(list, topic, partition)!
                element.pointee.offset = startOffset(for: "\(topic)/\(partition)")
            }
            noteAssigned(list)
            let status = rd_kafka_assign(client, list)
            guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
                rd_kafka_destroy(client)
                throw KafkaClientError(reason: "cannot assign partitions: \(KafkaError(status))")
            }
        }
    }

    // MARK: the thread

    func run() {
        var batch = KafkaConsumedBatch()
        batch.messages.reserveCapacity(maxBatch)
        // The consumer queue (the main queue is redirected to it): rebalances and errors are
        // served by the same call that returns the records.
        // (Without a group.id there is none; every constructor here sets one.)
        let queue = rd_kafka_queue_get_consumer(client) ?? rd_kafka_queue_get_main(client)
        var polled = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: min(maxBatch, 1000))
        while !isClosing {
            waitForRoom()
            if isClosing { break }
            if isStopped {
                // The input stopped taking batches: keep the client (and its stored offsets)
                // until close, without fetching more.
                shared.room.lock()
                _ = shared.room.wait(until: Date(timeIntervalSinceNow: 0.1))
                shared.room.unlock()
                continue
            }
            // The first call waits for data; the rest take what is already fetched. Many records
            // per call: the queue is locked once per call, not once per record.
            var wait: Int32 = 100
            while batch.messages.count < maxBatch {
                let count = rd_kafka_consume_batch_queue(queue, wait, &polled, min(polled.count, maxBatch - batch.messages.count))
                guard count > 0 else { break }
                wait = 0
                for index in 0..<count {
                    guard let message = polled[index] else { continue }
                    take(message, into: &batch)
                    rd_kafka_message_destroy(message)
                }
            }
            guard !batch.messages.isEmpty else { continue }
            // The batch's array goes to the pipeline (which releases it on another thread): a
            // fresh one is reserved rather than the handed-over one copied.
            let full = batch
            batch = KafkaConsumedBatch()
            batch.messages.reserveCapacity(maxBatch)
            let waiter: CheckedContinuation<KafkaConsumedBatch?, Never>? = shared.handoff.withLock { handoff in
                if let waiter = handoff.waiter.take() { return waiter }
                handoff.batches.append(full)
                return nil
            }
            waiter?.resume(returning: full)
        }
        rd_kafka_queue_destroy(queue)
        _ = rd_kafka_commit(client, nil, 0)
        _ = rd_kafka_consumer_close(client)
        assignments.withLock { state in
            state.closed = true
            state.current.removeAll()
        }
        rd_kafka_destroy(client)
    }

    private var isClosing: Bool { shared.handoff.withLock { $0.closing } }
    private var isStopped: Bool { shared.handoff.withLock { $0.stopped } }

    private func waitForRoom() {
        shared.room.lock()
        while shared.handoff.withLock({ $0.batches.count >= KafkaConsumer.queuedBatches && !$0.closing }) {
            _ = shared.room.wait(until: Date(timeIntervalSinceNow: 0.1))
        }
        shared.room.unlock()
    }

    /// `pointer` must be librdkafka's own: the timestamp is read from the envelope around it.
    private func take(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>, into batch: inout KafkaConsumedBatch) {
        let message = pointer.pointee
        guard message.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            if message.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                logRateLimited(KafkaError(message.err, message: message.payload.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: message.len), as: UTF8.self)
                }))
            }
            return
        }
        let key = PartitionKey(topic: UnsafeRawPointer(message.rkt), partition: message.partition)
        let entry: PartitionEntry
        if let last = lastPartition, last.key == key {
            entry = last.entry
        } else if let cached = partitionCache[key] {
            entry = cached
            lastPartition = (key, cached)
        } else {
            let topic = String(cString: rd_kafka_topic_name(message.rkt))
            let name = "\(topic)/\(message.partition)"
            let assignment = assignments.withLock { $0.current[name] } ?? 0
            entry = PartitionEntry(topic: topic, assignment: assignment,
                                   names: KafkaRecordMessages.PartitionNames(topic: topic, partition: message.partition))
            partitionCache[key] = entry
            lastPartition = (key, entry)
        }
        batch.messages.append(messages.message(pointer, names: entry.names))
        batch.note(topic: entry.topic, partition: message.partition, offset: message.offset, assignment: entry.assignment)
    }

    private func logRateLimited(_ error: KafkaError) {
        let now = ContinuousClock.now
        if let last = lastLoggedError, last.code == error.code, now - last.at < .seconds(10) { return }
        lastLoggedError = (error.code, now)
        logger.warning("kafka consumer error", metadata: ["error": "\(error)"])
    }

    // MARK: offsets and rebalances

    func storeOffset(topic: String, partition: Int32, next offset: Int64, assignment: UInt64) {
        let name = "\(topic)/\(partition)"
        // Under the lock, so that the client cannot be destroyed during the call.
        assignments.withLock { state in
            guard !state.closed, state.current[name] == assignment else { return }
            let list = rd_kafka_topic_partition_list_new(1)!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            rd_kafka_topic_partition_list_add(list, topic, partition)!.pointee.offset = offset
            _ = rd_kafka_offsets_store(client, list)
        }
    }

    var assignedNames: [String] { assignments.withLock { $0.current.keys.sorted() } }

    private func startOffset(for name: String) -> Int64 {
        let first = assignments.withLock { !$0.seen.contains(name) }
        guard first else { return -1000 }  // RD_KAFKA_OFFSET_STORED: the committed offset
        switch offsetMethod {
        case .manual: return -1000
        case .oldest: return -2  // RD_KAFKA_OFFSET_BEGINNING
        case .newest: return -1  // RD_KAFKA_OFFSET_END
        }
    }

    private func names(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [String] {
        (0..<Int(list.pointee.cnt)).map { index in
            let element = list.pointee.elems[index]
            return "\(String(cString: element.topic))/\(element.partition)"
        }
    }

    private func noteAssigned(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        partitionCache.removeAll()
        lastPartition = nil
        let added = names(list)
        assignments.withLock { state in
            state.generation += 1
            for name in added {
                state.current[name] = state.generation
                state.seen.insert(name)
            }
        }
    }

    private func rebalance(_ handle: OpaquePointer, _ code: rd_kafka_resp_err_t,
                           _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
        guard let partitions else { return }
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        if code == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
            for index in 0..<Int(partitions.pointee.cnt) {
                let element = partitions.pointee.elems + index
                element.pointee.offset = startOffset(for: "\(String(cString: element.pointee.topic))/\(element.pointee.partition)")
            }
            noteAssigned(partitions)
            logger.info("kafka partitions assigned", metadata: ["partitions": "\(names(partitions).joined(separator: ","))"])
            if cooperative { _ = rd_kafka_incremental_assign(handle, partitions) } else { _ = rd_kafka_assign(handle, partitions) }
        } else {
            // Commit what downstream confirmed before another member takes the partitions over;
            // records still in flight will be read again by the new owner (at least once).
            _ = rd_kafka_commit(handle, nil, 0)
            let revoked = names(partitions)
            partitionCache.removeAll()
            lastPartition = nil
            assignments.withLock { state in
                for name in revoked { state.current[name] = nil }
            }
            logger.info("kafka partitions revoked", metadata: ["partitions": "\(revoked.joined(separator: ","))"])
            if cooperative { _ = rd_kafka_incremental_unassign(handle, partitions) } else { _ = rd_kafka_assign(handle, nil) }
        }
    }
}
