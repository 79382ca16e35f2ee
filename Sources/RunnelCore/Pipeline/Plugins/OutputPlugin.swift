import Logging
import Synchronization

/// A destination (Heka's outputs). `run` takes batches with `context.next()` until it returns nil
/// (the queue was closed and drained: shutdown or reload), writes them, and settles every batch it
/// took: `confirm()` once the destination has the data, `drop(reason:)` only by explicit policy.
/// Throwing means the output failed: it is restarted under `[X.retries]`, and the batches it held
/// unsettled are handed to it again first, so nothing it took is lost.
public protocol OutputPlugin: Sendable {
    func run(_ context: OutputContext) async throws
}

/// A batch in an output's hands. Settling it updates the output's counters and releases the
/// input batch's acknowledgement.
public final class OutputBatch: Sendable {
    public let batch: RoutedBatch
    fileprivate let context: OutputContext
    fileprivate let id: UInt64

    fileprivate init(batch: RoutedBatch, context: OutputContext, id: UInt64) {
        self.batch = batch
        self.context = context
        self.id = id
    }

    public var messages: [Message] { batch.messages }

    public func confirm() {
        guard context.release(id) else { return }
        context.counters.add(\.delivered, batch.messages.count)
        batch.confirm()
    }

    public func drop(reason: String) {
        guard context.release(id) else { return }
        context.counters.addDropped(batch.messages.count, reason: reason)
        batch.drop(reason: reason)
    }

    /// Some messages (positions in `messages`) dropped for `reason`, the others delivered.
    public func settle(droppedPositions: [Int], reason: String) {
        guard context.release(id) else { return }
        context.counters.add(\.delivered, batch.messages.count - droppedPositions.count)
        context.counters.addDropped(droppedPositions.count, reason: reason)
        batch.settle(droppedPositions: droppedPositions, reason: reason)
    }

    /// Some messages dropped for several reasons (positions in `messages` per reason), the others
    /// delivered: outputs that learn each message's fate separately (Elasticsearch items).
    public func settle(droppedByReason: [String: [Int]]) {
        guard context.release(id) else { return }
        let droppedCount = droppedByReason.values.reduce(0) { $0 + $1.count }
        context.counters.add(\.delivered, batch.messages.count - droppedCount)
        for (reason, positions) in droppedByReason where !positions.isEmpty {
            context.counters.addDropped(positions.count, reason: reason)
            batch.acknowledgement?.noteDropped(positions.map { batch.origins[$0] }, reason: reason)
        }
        batch.acknowledgement?.release()
    }
}

/// What the runtime gives an output: its queue, its encoder and its counters.
public final class OutputContext: Sendable {
    public let name: String
    public let counters: PluginCounters
    public let logger: Logger
    public let encoder: (any Encoder)?
    /// Frame each encoded message with Heka stream framing (`use_framing`).
    public let useFraming: Bool
    private let queue: BatchQueue
    private struct Held {
        var nextID: UInt64 = 0
        var batches: [UInt64: RoutedBatch] = [:]
        /// Batches taken by a run that failed, handed out again before new ones.
        var redeliver: [RoutedBatch] = []
    }
    private let held = Mutex(Held())

    public init(name: String, counters: PluginCounters, logger: Logger, encoder: (any Encoder)?,
                useFraming: Bool, queue: BatchQueue) {
        self.name = name
        self.counters = counters
        self.logger = logger
        self.encoder = encoder
        self.useFraming = useFraming
        self.queue = queue
    }

    /// The next batch to write; nil when the output should finish (queue closed and drained).
    public func next() async -> OutputBatch? {
        if let again = held.withLock({ $0.redeliver.isEmpty ? nil : $0.redeliver.removeFirst() }) {
            return hold(again)
        }
        guard let batch = await queue.pop() else { return nil }
        counters.add(\.received, batch.messages.count)
        return hold(batch)
    }

    /// The next batch, waiting at most `timeout` (nil on timeout or at the end): outputs that
    /// flush on an interval wait this way.
    public func next(timeout: Duration) async -> OutputBatch? {
        if let again = held.withLock({ $0.redeliver.isEmpty ? nil : $0.redeliver.removeFirst() }) {
            return hold(again)
        }
        guard let batch = await queue.pop(timeout: timeout) else { return nil }
        counters.add(\.received, batch.messages.count)
        return hold(batch)
    }

    /// True once the queue is closed and drained: the output should flush and return.
    public var isFinished: Bool { queue.isClosedAndEmpty && held.withLock { $0.redeliver.isEmpty } }

    /// A batch if one is ready now, without waiting (to fill a write up to a flush size).
    public func nextIfReady() -> OutputBatch? {
        if let again = held.withLock({ $0.redeliver.isEmpty ? nil : $0.redeliver.removeFirst() }) {
            return hold(again)
        }
        guard let batch = queue.tryPop() else { return nil }
        counters.add(\.received, batch.messages.count)
        return hold(batch)
    }

    /// Encodes a batch with the output's encoder (framed if asked), appending to `buffer`; returns
    /// the positions of messages the encoder refused, with the reason to count them under.
    public func encode(_ batch: OutputBatch, into buffer: inout [UInt8]) -> (failed: [Int], reason: String?) {
        var failed: [Int] = []
        if !useFraming, let inPlace = encoder as? any InPlaceEncoder {
            batch.messages.withUnsafeBufferPointer { messages in
                for index in messages.indices {
                    let start = buffer.count
                    do throws(EncodeFailure) {
                        try inPlace.encode(messages, at: index, into: &buffer)
                    } catch {
                        undoRefused(from: start, in: &buffer, error)
                        failed.append(index)
                    }
                }
            }
        } else {
            for (position, message) in batch.messages.enumerated() where !encodeOne(message, into: &buffer) {
                failed.append(position)
            }
        }
        return (failed, failed.isEmpty ? nil : "encode_failed")
    }

    /// Encodes one message (framed if asked); false, with nothing appended, when the encoder
    /// refused it. Without an encoder the message's protobuf form is written.
    public func encodeOne(_ message: Message, into buffer: inout [UInt8]) -> Bool {
        let start = buffer.count
        do {
            if useFraming {
                var scratch: [UInt8] = []
                if let encoder { try encoder.encode(message, into: &scratch) } else { MessageProtobuf.encode(message, into: &scratch) }
                HekaFraming.appendFrame(messageBytes: scratch, signer: nil, to: &buffer)
            } else if let encoder {
                try encoder.encode(message, into: &buffer)
            } else {
                MessageProtobuf.encode(message, into: &buffer)
            }
            return true
        } catch {
            undoRefused(from: start, in: &buffer, error)
            return false
        }
    }

    /// Takes back what a refusing encoder wrote before it gave up.
    private func undoRefused(from start: Int, in buffer: inout [UInt8], _ error: EncodeFailure) {
        buffer.removeSubrange(start...)
        logger.debug("encoder refused a message", metadata: ["output": "\(name)", "reason": "\(error.reason)"])
    }

    /// Queue depth in bytes, for /status.
    public var queuedBytes: Int { queue.depth.bytes }

    /// After a failed run: every batch still held is handed out again, in the order taken.
    func requeueHeld() {
        held.withLock { held in
            let again = held.batches.sorted { $0.key < $1.key }.map(\.value)
            held.batches.removeAll()
            held.redeliver = again + held.redeliver
        }
    }

    /// Unsettled batches (held or waiting to be handed out again).
    public var unsettledBatches: Int { held.withLock { $0.batches.count + $0.redeliver.count } }

    private func hold(_ batch: RoutedBatch) -> OutputBatch {
        let id = held.withLock { held in
            held.nextID += 1
            held.batches[held.nextID] = batch
            return held.nextID
        }
        return OutputBatch(batch: batch, context: self, id: id)
    }

    /// False when the batch was already settled (or taken back after a failed run).
    fileprivate func release(_ id: UInt64) -> Bool {
        held.withLock { $0.batches.removeValue(forKey: id) != nil }
    }
}
