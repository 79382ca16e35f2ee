import CRdKafka
import Foundation
import Logging
import Synchronization

/// The producer thread's state: the librdkafka client, its topic handles and every record not yet
/// reported. Only the producer thread touches it after `init`; librdkafka calls its callbacks from
/// `rd_kafka_poll` on that same thread, so none of this needs a lock (hence `@unchecked Sendable`:
/// it is handed to the thread once and used nowhere else).
final class ProducerLoop: @unchecked Sendable {
    struct Retry {
        let batch: UInt64
        let position: Int
        let due: ContinuousClock.Instant
    }

    /// Record positions and batch ids share the message opaque: 24 bits of position, 40 of batch.
    static let positionBits = 24
    static let maxBatchRecords = 1 << positionBits
    /// Records per `rd_kafka_produce_batch` call (and at most a quarter of librdkafka's queue).
    static let chunkRecords = 1000

    /// librdkafka's queue bounds from the properties it was given (its defaults otherwise;
    /// 0 or less: unbounded).
    static func queueLimit(_ properties: KafkaProperties) -> (records: Int, bytes: Int) {
        let records = Int(properties["queue.buffering.max.messages"] ?? "") ?? 100_000
        let kilobytes = Int(properties["queue.buffering.max.kbytes"] ?? "") ?? 1_048_576
        return (records > 0 ? records : .max, kilobytes > 0 ? kilobytes * 1024 : .max)
    }
    /// librdkafka's RD_KAFKA_PARTITION_UA (a cast in a macro, which Swift does not import).
    private let unassignedPartition: Int32 = -1

    private let properties: KafkaProperties
    private let logger: Logger
    private let shared: KafkaProducer.SharedState
    private(set) var client: OpaquePointer
    /// The client's main queue (reports, errors, statistics), which signals `wakeup`.
    private var mainQueue: OpaquePointer?
    private let wakeup: ProducerWakeup
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
    /// not hashed, per chunk.
    private var lastTopic: (name: String, handle: OpaquePointer)?
    /// What librdkafka holds (produced, no delivery report served yet), mirrored so that a chunk
    /// is produced only when it fits: librdkafka refusing part of a chunk for a full queue could
    /// let a later, smaller record in ahead of an earlier one.
    private var queued = (records: 0, bytes: 0)
    private let queueLimit: (records: Int, bytes: Int)
    private let chunkLimit: Int
    /// librdkafka's `batch.size`: a request's most bytes.
    private let batchBytes: Int
    /// The batch of the last report (a batch still in `batches`).
    private var lastSettled: (id: UInt64, batch: InFlightBatch)?
    /// Reused for every `rd_kafka_produce_batch` call.
    private var chunk: [rd_kafka_message_t] = []
    /// Records were produced since the last `sendLingering`.
    private var lingering = false
    /// Records of the last `sendLingering` (and before) still without a delivery report.
    private var flushedUnreported = 0

    init(properties: KafkaProperties, stallTimeout: Duration?, logger: Logger, shared: KafkaProducer.SharedState,
         wakeup: ProducerWakeup) throws(KafkaClientError) {
        self.properties = properties
        self.wakeup = wakeup
        self.stallTimeout = stallTimeout
        self.logger = logger
        self.shared = shared
        queueLimit = Self.queueLimit(properties)
        chunkLimit = max(1, min(Self.chunkRecords, queueLimit.records / 4))
        batchBytes = Int(properties["batch.size"] ?? "") ?? 1_000_000
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
        let client = try newKafkaClient(RD_KAFKA_PRODUCER, conf)
        mainQueue = rd_kafka_queue_get_main(client)
        if let mainQueue { wakeup.attach(mainQueue) }
        return client
    }

    // MARK: the thread

    func run() {
        askForProducerIDNow()
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
            // Nothing handed over: what librdkafka holds goes out now rather than after the linger;
            // then sleep until a handover or something for rd_kafka_poll to serve (the timeout
            // only paces the retry and stall checks).
            if work.isEmpty {
                if mayFlush { sendLingering() } else { wakeup.wait(milliseconds: 100) }
            }
            _ = rd_kafka_poll(client, 0)
            flushSettled()
            if fatalError != nil { rebuild() }
            if !waiters.isEmpty { resumeIdleWaiters() }
        }
        destroyClient(purge: true)
        // `closing` was seen under the lock, after which nobody signals any more.
        wakeup.close()
        // Whoever waited for the producer to go idle must not wait for a closed one.
        let abandoned = shared.mutex.withLock { shared in
            defer { shared.idleWaiters.removeAll() }
            return shared.idleWaiters
        }
        for waiter in abandoned { waiter.resume() }
    }

    /// librdkafka's idempotent producer first asks for its producer id 500 ms after it is made
    /// (no broker is connected that early), and holds every record until it has one; any metadata
    /// response makes it ask at once. One metadata request on the producer thread, before anything
    /// is produced, so the first records go out a round trip after the broker is reached rather than
    /// half a second later. Also after a rebuild. The wait is short: a broker not reached by then
    /// leaves the request to librdkafka's timer, and the thread must get back to closing and to
    /// fatal errors.
    private func askForProducerIDNow() {
        guard properties["enable.idempotence"] == "true" else { return }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        if rd_kafka_metadata(client, 0, nil, &metadata, 200) == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata {
            rd_kafka_metadata_destroy(metadata)
        }
    }

    /// librdkafka sends a batch that is not full only after `linger.ms`, which the defaults set long
    /// (see `KafkaOutputSettings.safeDefaults`) so that its broker thread does not spin while the
    /// broker is the bottleneck. An idle producer needs no batching: `rd_kafka_flush` makes the
    /// broker thread treat the linger as over while it runs, and a short window is enough for it
    /// to start the request (the delivery reports come back through the main loop). Called once
    /// per pause in the handovers, and only once the records of the previous call are reported:
    /// while a request is in flight the new records could not go anyway, and the broker thread
    /// would spin through the window. A window missed on a busy machine costs at most the linger.
    private var mayFlush: Bool {
        // Less than a full batch left: no full batch is in flight either (a full one goes without
        // lingering, so it would still be counted here).
        lingering && flushedUnreported == 0 && queued.bytes < batchBytes
    }

    private func sendLingering() {
        lingering = false
        flushedUnreported = queued.records
        _ = rd_kafka_flush(client, 5)
        flushSettled()
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
        let records = submission.records
        let payload = PinnedBytes(copying: records.bytes)
        var start = 0
        // A batch larger than the opaque's position field is tracked in pieces.
        repeat {
            let end = min(records.count, start + Self.maxBatchRecords - 1)
            let whole = start == 0 && end == records.count
            let id = nextBatch
            nextBatch += 1
            if start == end {
                submission.completion([])
            } else {
                let completion = Self.shifted(submission.completion, by: start, whole: whole)
                let batch = InFlightBatch(records: records, range: start..<end, payload: payload, completion: completion)
                batches[id] = batch
                shared.mutex.withLock { $0.inFlightRecords += batch.count }
                produceAll(batch, id: id)
            }
            start = end
        } while start < records.count
        submission.accepted?.resume()
    }

    /// The completion of a piece of a submission: positions shifted back to the whole batch's.
    private static func shifted(_ completion: @escaping KafkaProducer.Completion, by offset: Int, whole: Bool) -> KafkaProducer.Completion {
        guard !whole else { return completion }
        return { failures in
            completion(failures.map { KafkaDeliveryFailure(position: $0.position + offset, error: $0.error) })
        }
    }

    /// Produces a batch in chunks of one topic with `rd_kafka_produce_batch` (one call, one
    /// timestamp and one topic lock per chunk instead of per record). Stops early on a fatal error
    /// or when closing: the records not produced stay unreported, so the rebuild produces them.
    private func produceAll(_ batch: InFlightBatch, id: UInt64) {
        var position = 0
        while position < batch.count {
            let topicIndex = batch.topicIndex(position)
            var end = position
            var bytes = 0
            while end < batch.count, end - position < chunkLimit, batch.topicIndex(end) == topicIndex {
                let record = batch.pointers(end)
                if end > position, bytes + record.valueCount + record.keyCount > queueLimit.bytes / 4 { break }
                bytes += record.valueCount + record.keyCount
                end += 1
            }
            guard waitForRoom(records: end - position, bytes: bytes) else { return }
            produceChunk(batch, id: id, positions: position..<end)
            position = end
        }
    }

    /// Serves delivery reports until librdkafka's queue has room for a chunk (an empty queue takes
    /// any chunk); false on a fatal error or when closing.
    private func waitForRoom(records: Int, bytes: Int) -> Bool {
        while queued.records > 0,
              queued.records + records > queueLimit.records || queued.bytes + bytes > queueLimit.bytes {
            _ = rd_kafka_poll(client, 50)
            flushSettled()
            if fatalError != nil || shared.mutex.withLock({ $0.closing }) { return false }
        }
        return fatalError == nil
    }

    private func produceChunk(_ batch: InFlightBatch, id: UInt64, positions: Range<Int>) {
        chunk.removeAll(keepingCapacity: true)
        for position in positions {
            let record = batch.pointers(position)
            var message = rd_kafka_message_t()
            message.payload = record.value
            message.len = record.valueCount
            message.key = UnsafeMutableRawPointer(record.key)
            message.key_len = record.keyCount
            message._private = Self.opaque(batch: id, position: position)
            chunk.append(message)
        }
        let topic = topicHandle(batch.topic(positions.lowerBound))
        // Flags 0: librdkafka neither copies nor frees the values; `batch.payload` outlives them.
        _ = chunk.withUnsafeMutableBufferPointer { messages in
            rd_kafka_produce_batch(topic, unassignedPartition, 0, messages.baseAddress, Int32(messages.count))
        }
        for (index, message) in chunk.enumerated() {
            let position = positions.lowerBound + index
            if message.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                accepted(bytes: message.len + message.key_len)
            } else if message.err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                // Only when the mirrored limits are off (librdkafka counts differently): one by one.
                produce(batch: id, position: position)
            } else {
                settle(batch: id, position: position, error: KafkaError(message.err))
            }
        }
    }

    private static func opaque(batch id: UInt64, position: Int) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: UInt(id) << Self.positionBits | UInt(position))
    }

    /// Produces one record again (a retry, after a rebuild), waiting (serving reports) while
    /// librdkafka's queue is full.
    private func produce(batch id: UInt64, position: Int) {
        guard let batch = batches[id] else { return }
        let record = batch.pointers(position)
        while true {
            let status = rd_kafka_produce(topicHandle(batch.topic(position)), unassignedPartition, 0,
                                          record.value, record.valueCount, record.key, record.keyCount,
                                          Self.opaque(batch: id, position: position))
            if status == 0 {
                accepted(bytes: record.valueCount + record.keyCount)
                return
            }
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

    /// librdkafka took a record: it is queued there until its delivery report.
    private func accepted(bytes: Int) {
        lingering = true
        queued.records += 1
        queued.bytes += bytes
    }

    func delivered(_ message: rd_kafka_message_t) {
        queued.records -= 1
        if flushedUnreported > 0 { flushedUnreported -= 1 }
        queued.bytes -= message.len + message.key_len
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
        // Reports come in produce order, so they mostly hit the batch of the previous report.
        let found: InFlightBatch?
        if let lastSettled, lastSettled.id == id { found = lastSettled.batch } else { found = batches[id] }
        guard let batch = found, !batch.reported[position] else { return }
        lastSettled = (id, batch)
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
            lastSettled = nil
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
        askForProducerIDNow()
        lastProgress = .now
        retries.removeAll()
        for id in batches.keys.sorted() {
            guard let batch = batches[id] else { continue }
            for position in 0..<batch.count where !batch.reported[position] {
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
        if let mainQueue {
            rd_kafka_queue_io_event_enable(mainQueue, -1, nil, 0)
            rd_kafka_queue_destroy(mainQueue)
        }
        mainQueue = nil
        for handle in topics.values { rd_kafka_topic_destroy(handle) }
        topics.removeAll()
        lastTopic = nil
        rd_kafka_destroy(client)
        queued = (0, 0)
        flushedUnreported = 0
    }
}
