import Logging
import Synchronization

/// The disk queue between the router and one buffered filter or output (`use_buffering`,
/// DESIGN §6), keeping delivery at least once end to end:
///
///     router ─► intake ─► writer ─► DiskQueue ─► reader ─► delivery ─► plugin
///                          │ append + fdatasync,            │ plugin settles → cursor
///                          │ then the input's batch settles │ (in order, every cursor_update_count)
///
/// `intake` is the route's ordinary in-memory queue; the writer takes what is ready from it (one
/// fdatasync covers them all: group commit) and settles the inputs' acknowledgements only once
/// the records are durable, so an input may checkpoint past them. The reader feeds `delivery`, the
/// queue the plugin's context consumes, with batches whose acknowledgements move the disk cursor.
/// Memory stays bounded by the two queues and one read chunk, whatever the backlog on disk.
///
/// At shutdown (intake closed) everything written is still handed to the plugin while it keeps
/// up; what it has not confirmed when the agent gives up is read again after the restart.
public final class DiskBuffer: Sendable {
    /// Something the agent must act on.
    public enum Alarm: Sendable, Equatable {
        /// The queue is full and `full_action` is `shutdown`.
        case full
        /// The queue cannot be opened or written, and the retries are exhausted.
        case unavailable(String)
    }

    public let name: String
    public let folder: String
    public let settings: DiskQueueSettings
    /// The router's side: the destination's in-memory queue.
    public let intake: BatchQueue
    /// The plugin's side.
    public let delivery: BatchQueue
    let counters: PluginCounters
    let logger: Logger
    let retries: RetryPolicy
    let handOverGrace: Duration
    /// Most messages in one batch handed to the plugin.
    let deliveryBatchMessages: Int
    let onAlarm: @Sendable (Alarm) -> Void

    private let writeWorker: BlockingWorker
    private let readWorker: BlockingWorker
    private let readerWake = WakeSignal()
    private let writerWake = WakeSignal()
    private let saverWake = WakeSignal()
    private let state = Mutex(State())

    struct State {
        var queue: DiskQueue?
        var writerDone = false
        var readerDone = false
        var consumerDone = false
        var handOverRequested = false
        var handOverExpired = false
        var saveDue = false
    }

    public init(name: String, folder: String, settings: DiskQueueSettings, intake: BatchQueue, deliveryCapacityBytes: Int,
                counters: PluginCounters, logger: Logger, retries: RetryPolicy = .heka,
                handOverGrace: Duration = .seconds(5), deliveryBatchMessages: Int = 1000,
                onAlarm: @escaping @Sendable (Alarm) -> Void) {
        self.name = name
        self.folder = folder
        self.settings = settings
        self.intake = intake
        self.delivery = BatchQueue(capacityBytes: deliveryCapacityBytes, policy: .block)
        self.counters = counters
        self.logger = logger
        self.retries = retries
        self.handOverGrace = handOverGrace
        self.deliveryBatchMessages = max(1, deliveryBatchMessages)
        self.onAlarm = onAlarm
        writeWorker = BlockingWorker(name: "runnel-dq-write")
        readWorker = BlockingWorker(name: "runnel-dq-read")
    }

    /// The queue's figures, once it is open.
    public var stats: DiskQueueStats? { state.withLock { $0.queue }?.stats }

    /// Runs the buffer until the intake is closed and drained and the plugin has taken (or the
    /// agent gave up on) what is on disk; then saves the cursor and closes the files.
    public func run() async {
        defer {
            writeWorker.stop()
            readWorker.stop()
        }
        guard await DiskQueueLeases.shared.acquire(folder, handOver: { [weak self] in self?.handOver() }) else {
            delivery.close()
            return
        }
        defer { DiskQueueLeases.shared.release(folder) }
        guard let queue = await open() else {
            delivery.close()
            return
        }
        state.withLock { $0.queue = queue }
        logger.info("disk queue open", metadata: ["plugin": "\(name)", "folder": "\(folder)",
                                                   "backlog_bytes": "\(queue.stats.unconfirmedBytes)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.writeLoop(queue) }
            group.addTask { await self.readLoop(queue) }
            group.addTask { await self.saveLoop(queue) }
        }
        await writeWorker.run { queue.close() }
    }

    /// The plugin stopped taking batches (it finished, or failed for good).
    public func consumerFinished() {
        state.withLock { $0.consumerDone = true }
        delivery.close()
        readerWake.wake()
        saverWake.wake()
    }

    /// Another instance waits for this folder: stop reading, and release it once what was handed
    /// out is settled or the grace period is over.
    func handOver() {
        let first = state.withLock { state -> Bool in
            defer { state.handOverRequested = true }
            return !state.handOverRequested
        }
        guard first else { return }
        logger.info("disk queue handing over to its replacement", metadata: ["plugin": "\(name)"])
        readerWake.wake()
        Task { [weak self, handOverGrace] in
            try? await Task.sleep(for: handOverGrace)
            self?.state.withLock { $0.handOverExpired = true }
            self?.saverWake.wake()
        }
    }

    private func open() async -> DiskQueue? {
        var failures = 0
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            let result = await writeWorker.run { [folder, settings, logger] in
                Result { () throws(DiskQueueError) in try DiskQueue.open(folder: folder, settings: settings, logger: logger) }
            }
            switch result {
            case .success(let queue):
                return queue
            case .failure(let error):
                failures += 1
                guard retries.allowsRetry(after: failures) else {
                    logger.error("disk queue unavailable; no retries left", metadata: ["plugin": "\(name)", "error": "\(error)"])
                    onAlarm(.unavailable(error.description))
                    return nil
                }
                let wait = retries.wait(beforeAttempt: failures, using: &generator)
                logger.warning("disk queue cannot be opened; retrying", metadata: ["plugin": "\(name)", "error": "\(error)", "wait": "\(wait)"])
                try? await Task.sleep(for: wait)
            }
        }
        return nil
    }

    // MARK: writer

    /// Most batches, and most (estimated) bytes, one append (one fdatasync) takes from the intake.
    /// A couple of MiB per fdatasync already makes the disk's bandwidth, not its latency, the limit.
    static let groupCommitBatches = 64
    static let groupCommitBytes = 2 * 1024 * 1024

    /// The delivery queue of a buffered plugin whose intake holds `queueBytes`: a quarter of that
    /// (at least 64 KiB). Its messages are safe on disk, so it only has to keep the plugin busy.
    public static func deliveryCapacity(forQueueBytes queueBytes: Int) -> Int {
        max(64 * 1024, queueBytes / 4)
    }

    private func writeLoop(_ queue: DiskQueue) async {
        var writer = WriterState()
        while let first = await withTaskCancellationHandler(operation: { await intake.pop() },
                                                            onCancel: { [intake] in intake.close() }) {
            // Cancelled (the agent gave up waiting): what is left stays unsettled, to be read
            // again by the inputs, rather than each batch costing one more fdatasync.
            if Task.isCancelled { break }
            var group = [first]
            var bytes = first.byteSize
            while group.count < Self.groupCommitBatches, bytes < Self.groupCommitBytes, let more = intake.tryPop() {
                group.append(more)
                bytes += more.byteSize
            }
            guard await write(group, to: queue, writer: &writer) else { break }
        }
        state.withLock { $0.writerDone = true }
        readerWake.wake()
        saverWake.wake()
    }

    private struct WriterState {
        /// The queue was full at the last batch (logged once per episode).
        var full = false
        /// `full_action = shutdown` fired: nothing more is written or acknowledged.
        var refusing = false
        var failures = 0
        var generator = SystemRandomNumberGenerator()
    }

    /// Appends the batches that fit, settling them once durable; false when writing must stop.
    private func write(_ group: [RoutedBatch], to queue: DiskQueue, writer: inout WriterState) async -> Bool {
        var admitted: [(batch: RoutedBatch, records: DiskRecordBatch)] = []
        var admittedBytes = 0
        for batch in group {
            // Refused batches stay unsettled: their inputs never checkpoint past them and read
            // them again after the restart the agent is going through.
            if writer.refusing { continue }
            let records = DiskRecordBatch(batch.messages)
            // Only a batch on its own may exceed the limit (into an empty queue).
            if queue.hasRoom(for: admittedBytes + records.bytes.count, emptyTakesAnything: admitted.isEmpty) {
                writer.full = false
                admitted.append((batch, records))
                admittedBytes += records.bytes.count
                continue
            }
            guard await commit(admitted, to: queue, writer: &writer) else { return false }
            admitted = []
            admittedBytes = 0
            if !queue.hasRoom(for: records.bytes.count) {
                await reclaim(queue)
            }
            if !queue.hasRoom(for: records.bytes.count) {
                if !writer.full {
                    logger.warning("disk queue full", metadata: ["plugin": "\(name)", "max_buffer_size": "\(settings.maxBufferSize)",
                                                                 "full_action": "\(settings.fullAction.rawValue)"])
                }
                writer.full = true
                switch settings.fullAction {
                case .drop:
                    counters.addDropped(batch.messages.count, reason: "buffer_full")
                    batch.drop(reason: "buffer_full")
                    continue
                case .shutdown:
                    logger.error("disk queue full; asking the agent to stop (full_action = shutdown)", metadata: ["plugin": "\(name)"])
                    writer.refusing = true
                    onAlarm(.full)
                    continue
                case .block:
                    guard await waitForRoom(records.bytes.count, in: queue) else { return false }
                }
            }
            admitted.append((batch, records))
            admittedBytes += records.bytes.count
        }
        return await commit(admitted, to: queue, writer: &writer)
    }

    /// Makes the records durable, then settles their input batches. Retries failed appends
    /// under the plugin's retry policy; false when it gave up (or was cancelled).
    private func commit(_ admitted: [(batch: RoutedBatch, records: DiskRecordBatch)], to queue: DiskQueue,
                        writer: inout WriterState) async -> Bool {
        guard !admitted.isEmpty else { return true }
        let records = admitted.map(\.records)
        while true {
            let result = await writeWorker.run { Result { () throws(DiskQueueError) in try queue.append(records) } }
            switch result {
            case .success:
                writer.failures = 0
                for entry in admitted { entry.batch.confirm() }
                readerWake.wake()
                return true
            case .failure(let error):
                writer.failures += 1
                guard retries.allowsRetry(after: writer.failures) else {
                    logger.error("disk queue cannot be written; no retries left", metadata: ["plugin": "\(name)", "error": "\(error)"])
                    onAlarm(.unavailable(error.description))
                    return false
                }
                let wait = retries.wait(beforeAttempt: writer.failures, using: &writer.generator)
                logger.warning("disk queue append failed; retrying", metadata: ["plugin": "\(name)", "error": "\(error)", "wait": "\(wait)"])
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return false
                }
            }
        }
    }

    /// `full_action = block`: waits until confirmations free enough segments. False when cancelled.
    private func waitForRoom(_ bytes: Int, in queue: DiskQueue) async -> Bool {
        while !queue.hasRoom(for: bytes) {
            await writerWake.wait()
            if Task.isCancelled { return false }
            await reclaim(queue)
        }
        return true
    }

    private func reclaim(_ queue: DiskQueue) async {
        let result = await writeWorker.run { Result { () throws(DiskQueueError) in try queue.reclaimSpace() } }
        if case .failure(let error) = result {
            logger.error("disk queue cannot free consumed segments", metadata: ["plugin": "\(name)", "error": "\(error)"])
        }
    }

    // MARK: reader

    private func readLoop(_ queue: DiskQueue) async {
        let maxBytes = max(1, delivery.capacityBytes / 2)
        let batchMessages = deliveryBatchMessages
        reading: while !Task.isCancelled {
            let (writerDone, stop) = state.withLock { ($0.writerDone, $0.handOverRequested || $0.consumerDone) }
            if stop { break }
            let result = await readWorker.run {
                Result { () throws(DiskQueueError) in try queue.read(maxMessages: batchMessages, maxBytes: maxBytes) }
            }
            switch result {
            case .failure(let error):
                logger.error("disk queue read failed; retrying", metadata: ["plugin": "\(name)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            case .success(nil):
                if writerDone { break reading }
                await readerWake.wait()
            case .success(let read?):
                if !read.damage.isEmpty { counters.addDropped(read.damage.count, reason: "corrupt_record") }
                guard !read.messages.isEmpty else {
                    settled(read.ticket, in: queue)
                    continue
                }
                let acknowledgement = BatchAcknowledgement(messageCount: read.messages.count) { [weak self] _ in
                    self?.settled(read.ticket, in: queue)
                }
                let batch = RoutedBatch(messages: read.messages, origins: Array(read.messages.indices), acknowledgement: acknowledgement,
                                        byteSize: read.messages.reduce(0) { $0 + $1.estimatedByteSize })
                let pushed = await withTaskCancellationHandler(operation: { await delivery.push(batch) },
                                                               onCancel: { [delivery] in delivery.close() })
                guard pushed == .accepted else { break reading }
            }
        }
        state.withLock { $0.readerDone = true }
        delivery.close()
        saverWake.wake()
    }

    private func settled(_ ticket: DiskQueueTicket, in queue: DiskQueue) {
        if queue.settle(ticket) { state.withLock { $0.saveDue = true } }
        saverWake.wake()
        writerWake.wake()
    }

    // MARK: cursor

    private func saveLoop(_ queue: DiskQueue) async {
        while true {
            let (due, finishing) = state.withLock { state in
                defer { state.saveDue = false }
                let settledAll = queue.pendingReads == 0 || state.consumerDone || state.handOverExpired
                return (state.saveDue, state.readerDone && settledAll)
            }
            if due || finishing || Task.isCancelled {
                let result = await writeWorker.run { Result { () throws(DiskQueueError) in try queue.saveCursor() } }
                if case .failure(let error) = result {
                    logger.error("disk queue cannot save its cursor", metadata: ["plugin": "\(name)", "error": "\(error)"])
                }
            }
            if finishing || Task.isCancelled { return }
            await saverWake.wait()
        }
    }
}
