import CRdKafka
import Foundation
import Logging
import Synchronization

/// The producer thread's state: the librdkafka client, its topic handles and every record not yet
/// reported. Only the producer thread touches it after `init`; librdkafka calls its callbacks from
/// `rd_kafka_poll` on that same thread, so none of this needs a lock (hence `@unchecked Sendable`:
/// it is handed to the thread once and used nowhere else).
final class ProducerLoop: @unchecked Sendable {
    /// A submitted batch until its last record has its final report. A class: a report marks one
    /// record in place, where a struct taken out of the dictionary copied the whole `reported`
    /// array per report (quadratic in the batch size).
    final class InFlightBatch {
        let records: [KafkaRecord]
        let completion: KafkaProducer.Completion
        var reported: [Bool]
        var remaining: Int
        var failures: [KafkaDeliveryFailure] = []

        init(records: [KafkaRecord], completion: @escaping KafkaProducer.Completion) {
            self.records = records
            self.completion = completion
            reported = Array(repeating: false, count: records.count)
            remaining = records.count
        }
    }

    struct Retry {
        let batch: UInt64
        let position: Int
        let due: ContinuousClock.Instant
    }

    /// Record positions and batch ids share the message opaque: 24 bits of position, 40 of batch.
    static let positionBits = 24
    static let maxBatchRecords = 1 << positionBits
    /// librdkafka's RD_KAFKA_PARTITION_UA (a cast in a macro, which Swift does not import).
    private let unassignedPartition: Int32 = -1

    private let properties: KafkaProperties
    private let logger: Logger
    private let shared: KafkaProducer.SharedState
    private(set) var client: OpaquePointer
    private var topics: [String: OpaquePointer] = [:]
    private var batches: [UInt64: InFlightBatch] = [:]
    private var nextBatch: UInt64 = 1
    private var retries: [Retry] = []
    private var attempts: [UInt64: Int] = [:]
    private var fatalError: String?
    /// With records in flight and no final report for this long, the client is rebuilt: an
    /// idempotent producer whose id the broker forgot (a broker that restarted empty) otherwise
    /// retries forever.
    private let stallTimeout: Duration?
    private var lastProgress = ContinuousClock.now
    private var lastLoggedError: (name: String, at: ContinuousClock.Instant)?
    /// Final reports not yet subtracted from the shared in-flight count: taken off (and the
    /// progress time read) once per poll rather than a lock and a clock read per record.
    private var settledSinceFlush = 0
    /// The topic handle last produced to: most batches have one topic, so the name is compared,
    /// not hashed, per record.
    private var lastTopic: (name: String, handle: OpaquePointer)?

    init(properties: KafkaProperties, stallTimeout: Duration?, logger: Logger, shared: KafkaProducer.SharedState) throws(KafkaClientError) {
        self.properties = properties
        self.stallTimeout = stallTimeout
        self.logger = logger
        self.shared = shared
        client = OpaquePointer(bitPattern: 1)!
        client = try makeClient()
    }

    private func makeClient() throws(KafkaClientError) -> OpaquePointer {
        let conf: OpaquePointer
        do {
            conf = try properties.makeConfiguration()
        } catch {
            throw KafkaClientError(reason: error.description)
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let opaque, let message else { return }
            Unmanaged<ProducerLoop>.fromOpaque(opaque).takeUnretainedValue().delivered(message.pointee)
        }
        rd_kafka_conf_set_error_cb(conf) { _, code, reason, opaque in
            guard let opaque else { return }
            Unmanaged<ProducerLoop>.fromOpaque(opaque).takeUnretainedValue()
                .clientError(code, reason.map { String(cString: $0) } ?? "")
        }
        rd_kafka_conf_set_stats_cb(conf) { _, json, length, opaque in
            guard let opaque, let json else { return 0 }
            let text = UnsafeRawBufferPointer(start: json, count: length)
            Unmanaged<ProducerLoop>.fromOpaque(opaque).takeUnretainedValue().statistics(Array(text))
            return 0
        }
        return try newKafkaClient(RD_KAFKA_PRODUCER, conf)
    }

    // MARK: the thread

    func run() {
        while true {
            let (work, closing, waiters) = shared.mutex.withLock { shared in
                let work = Array(shared.inbox)
                shared.inbox.removeAll()
                return (work, shared.closing, shared.idleWaiters.isEmpty ? [] : shared.idleWaiters)
            }
            if closing { break }
            for submission in work { produce(submission) }
            produceDueRetries()
            checkForStall()
            if fatalError != nil { rebuild() }
            _ = rd_kafka_poll(client, work.isEmpty ? 100 : 0)
            flushSettled()
            if fatalError != nil { rebuild() }
            if !waiters.isEmpty { resumeIdleWaiters() }
        }
        destroyClient(purge: true)
        // Whoever waited for the producer to go idle must not wait for a closed one.
        let abandoned = shared.mutex.withLock { shared in
            defer { shared.idleWaiters.removeAll() }
            return shared.idleWaiters
        }
        for waiter in abandoned { waiter.resume() }
    }

    private func checkForStall() {
        guard let stallTimeout, !batches.isEmpty else {
            lastProgress = .now
            return
        }
        let waited = ContinuousClock.now - lastProgress
        guard waited > stallTimeout else { return }
        let inFlight = shared.mutex.withLock { $0.inFlightRecords }
        fatalError = "no delivery report for \(waited.components.seconds) s with \(inFlight) records in flight"
    }

    private func resumeIdleWaiters() {
        let ready: [CheckedContinuation<Void, Never>] = shared.mutex.withLock { shared in
            guard shared.inbox.isEmpty && shared.inFlightRecords == 0 else { return [] }
            defer { shared.idleWaiters.removeAll() }
            return shared.idleWaiters
        }
        for waiter in ready { waiter.resume() }
    }

    private func produce(_ submission: KafkaProducer.Submission) {
        var start = 0
        // A batch larger than the opaque's position field is tracked in pieces.
        repeat {
            let end = min(submission.records.count, start + Self.maxBatchRecords - 1)
            let whole = start == 0 && end == submission.records.count
            let records = whole ? submission.records : Array(submission.records[start..<end])
            let id = nextBatch
            nextBatch += 1
            if records.isEmpty {
                submission.completion([])
            } else {
                let completion = Self.shifted(submission.completion, by: start, whole: whole)
                batches[id] = InFlightBatch(records: records, completion: completion)
                shared.mutex.withLock { $0.inFlightRecords += records.count }
                for position in records.indices { produce(records[position], batch: id, position: position) }
            }
            start = end
        } while start < submission.records.count
        submission.accepted?.resume()
    }

    /// The completion of a piece of a submission: positions shifted back to the whole batch's.
    private static func shifted(_ completion: @escaping KafkaProducer.Completion, by offset: Int, whole: Bool) -> KafkaProducer.Completion {
        guard !whole else { return completion }
        return { failures in
            completion(failures.map { KafkaDeliveryFailure(position: $0.position + offset, error: $0.error) })
        }
    }

    /// Produces one record, waiting (serving reports) while librdkafka's queue is full.
    private func produce(batch id: UInt64, position: Int) {
        guard let batch = batches[id] else { return }
        produce(batch.records[position], batch: id, position: position)
    }

    private func produce(_ record: KafkaRecord, batch id: UInt64, position: Int) {
        let opaque = UnsafeMutableRawPointer(bitPattern: UInt(id) << Self.positionBits | UInt(position))
        while true {
            let topic = topicHandle(record.topic)
            let status = record.value.withUnsafeBytes { value in
                if let key = record.key {
                    return key.withUnsafeBytes { key in
                        rd_kafka_produce(topic, unassignedPartition, RD_KAFKA_MSG_F_COPY,
                                         UnsafeMutableRawPointer(mutating: value.baseAddress), value.count,
                                         key.baseAddress, key.count, opaque)
                    }
                }
                return rd_kafka_produce(topic, unassignedPartition, RD_KAFKA_MSG_F_COPY,
                                        UnsafeMutableRawPointer(mutating: value.baseAddress), value.count,
                                        nil, 0, opaque)
            }
            if status == 0 { return }
            let error = KafkaError(rd_kafka_last_error())
            if error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue {
                // Backpressure: serve delivery reports until there is room.
                _ = rd_kafka_poll(client, 50)
                flushSettled()
                if fatalError != nil { return }
                if shared.mutex.withLock({ $0.closing }) { return }
                continue
            }
            settle(batch: id, position: position, error: error)
            return
        }
    }

    private func topicHandle(_ name: String) -> OpaquePointer {
        if let lastTopic, lastTopic.name == name { return lastTopic.handle }
        let handle: OpaquePointer
        if let known = topics[name] {
            handle = known
        } else {
            handle = rd_kafka_topic_new(client, name, nil)!
            topics[name] = handle
        }
        lastTopic = (name, handle)
        return handle
    }

    private func flushSettled() {
        guard settledSinceFlush > 0 else { return }
        let settled = settledSinceFlush
        settledSinceFlush = 0
        lastProgress = .now
        shared.mutex.withLock { $0.inFlightRecords -= settled }
    }

    // MARK: reports

    func delivered(_ message: rd_kafka_message_t) {
        let bits = UInt(bitPattern: message._private)
        let id = UInt64(bits >> Self.positionBits)
        let position = Int(bits & UInt(Self.maxBatchRecords - 1))
        if message.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            settle(batch: id, position: position, error: nil)
        } else {
            settle(batch: id, position: position, error: KafkaError(message.err))
        }
    }

    /// A record's report: delivered, failed for good, or to be produced again.
    private func settle(batch id: UInt64, position: Int, error: KafkaError?) {
        guard let batch = batches[id], !batch.reported[position] else { return }
        if let error {
            if error.isPurge || fatalError != nil { return }  // produced again after the rebuild
            if !error.isPermanent {
                scheduleRetry(batch: id, position: position, error: error)
                return
            }
            batch.failures.append(KafkaDeliveryFailure(position: position, error: error))
        }
        batch.reported[position] = true
        batch.remaining -= 1
        if !attempts.isEmpty { attempts[id << 24 | UInt64(position)] = nil }
        settledSinceFlush += 1
        if batch.remaining == 0 {
            batches[id] = nil
            flushSettled()
            batch.completion(batch.failures.sorted { $0.position < $1.position })
        }
    }

    private func scheduleRetry(batch id: UInt64, position: Int, error: KafkaError) {
        let attempt = attempts[id << 24 | UInt64(position), default: 0] + 1
        attempts[id << 24 | UInt64(position)] = attempt
        let delay = Duration.milliseconds(min(5000, 100 << min(attempt - 1, 6)))
        retries.append(Retry(batch: id, position: position, due: .now + delay))
        logRateLimited(error, "delivery failed, producing the message again")
    }

    private func produceDueRetries() {
        guard !retries.isEmpty else { return }
        let now = ContinuousClock.now
        let due = retries.filter { $0.due <= now }
        guard !due.isEmpty else { return }
        retries.removeAll { $0.due <= now }
        for retry in due { produce(batch: retry.batch, position: retry.position) }
    }

    func clientError(_ code: Int32, _ reason: String) {
        let error = KafkaError(code: code, message: reason)
        if error.isFatal {
            var buffer = [CChar](repeating: 0, count: 512)
            let cause = rd_kafka_fatal_error(client, &buffer, buffer.count)
            fatalError = "\(text(ofErrorBuffer: buffer)) (\(KafkaError(cause).name))"
            return
        }
        logRateLimited(error, "kafka client error")
    }

    func statistics(_ json: [UInt8]) {
        guard let parsed = KafkaProducerStatistics(json: json) else { return }
        shared.mutex.withLock { $0.statistics = parsed }
    }

    /// One line per kind of error at most every 10 s: a broker outage must not flood the log.
    private func logRateLimited(_ error: KafkaError, _ what: String) {
        let now = ContinuousClock.now
        if let last = lastLoggedError, last.name == error.name, now - last.at < .seconds(10) { return }
        lastLoggedError = (error.name, now)
        logger.warning("\(what)", metadata: ["error": "\(error)"])
    }

    // MARK: rebuilding after a fatal error

    private func rebuild() {
        guard let reason = fatalError else { return }
        logger.error("kafka producer hit a fatal error; rebuilding it and producing unconfirmed messages again",
                     metadata: ["reason": "\(reason)"])
        destroyClient(purge: true)
        while true {
            do {
                let fresh = try makeClient()
                client = fresh
                shared.mutex.withLock { shared in
                    shared.clientAddress = UInt(bitPattern: fresh)
                    shared.rebuilds += 1
                }
                break
            } catch {
                logger.error("cannot rebuild the kafka producer; trying again", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
                if shared.mutex.withLock({ $0.closing }) { return }
            }
        }
        fatalError = nil
        lastProgress = .now
        retries.removeAll()
        for id in batches.keys.sorted() {
            guard let batch = batches[id] else { continue }
            for position in batch.records.indices where !batch.reported[position] {
                produce(batch: id, position: position)
            }
        }
    }

    private func destroyClient(purge: Bool) {
        shared.mutex.withLock { $0.clientAddress = nil }
        if purge {
            _ = rd_kafka_purge(client, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING))
            _ = rd_kafka_poll(client, 0)
        }
        for handle in topics.values { rd_kafka_topic_destroy(handle) }
        topics.removeAll()
        lastTopic = nil
        rd_kafka_destroy(client)
    }
}
