import Logging

/// A source of messages (Heka's inputs). `run` reads until its task is cancelled (the agent stops or
/// reloads it) or its source ends; returning normally means the input is finished, throwing means
/// it failed and is restarted under its `[X.retries]` policy.
public protocol InputPlugin: Sendable {
    func run(_ context: InputContext) async throws
}

/// Makes a fresh splitter for one stream of an input (one per file, connection or container).
public typealias SplitterFactory = @Sendable (_ startOffset: Int64) -> any Splitter

/// What the runtime gives an input: splitting, decoding, routing with acknowledgements, durable
/// checkpoints and its counters.
public final class InputContext: Sendable {
    public let name: String
    public let hostname: ByteString
    public let counters: PluginCounters
    public let ledger: InputLedger
    /// Durable positions of this input's streams, committed in order as batches settle.
    public let checkpoints: StreamCheckpoints
    public let logger: Logger
    /// The largest record or message, from `[runnel] max_message_size`.
    public let maxMessageSize: Int
    private let splitterFactory: SplitterFactory
    private let decoder: (any Decoder)?
    private let sendDecodeFailures: Bool
    private let router: Router

    public init(name: String, hostname: ByteString, counters: PluginCounters, ledger: InputLedger,
                checkpoints: StreamCheckpoints, logger: Logger, maxMessageSize: Int,
                splitterFactory: @escaping SplitterFactory, decoder: (any Decoder)?,
                sendDecodeFailures: Bool, router: Router) {
        self.name = name
        self.hostname = hostname
        self.counters = counters
        self.ledger = ledger
        self.checkpoints = checkpoints
        self.logger = logger
        self.maxMessageSize = maxMessageSize
        self.splitterFactory = splitterFactory
        self.decoder = decoder
        self.sendDecodeFailures = sendDecodeFailures
        self.router = router
    }

    /// The configured splitter (or the input's default) for a stream starting at `startOffset`.
    public func makeSplitter(startOffset: Int64 = 0) -> any Splitter {
        splitterFactory(startOffset)
    }

    /// Counts records a splitter discarded (over-long, corrupt) as read and dropped.
    public func noteDiscarded(_ discarded: [String: Int]) {
        guard !discarded.isEmpty else { return }
        let total = discarded.values.reduce(0, +)
        ledger.noteRead(total)
        ledger.noteSettled(BatchOutcome(messages: total, delivered: 0, unmatched: 0, dropped: discarded))
        for (reason, count) in discarded { counters.addDropped(count, reason: reason) }
    }

    /// Decodes `messages` with the input's decoder and routes them as one batch. `onSettled` runs
    /// once every destination has confirmed or dropped its part: then the input may checkpoint.
    public func deliver(_ messages: [Message], onSettled: (@Sendable (BatchOutcome) -> Void)? = nil) async {
        counters.add(\.received, messages.count)
        var decoded: [Message]
        if let decoder {
            decoded = []
            decoded.reserveCapacity(messages.count)
            var failures = 0
            for message in messages {
                do {
                    decoded += try decoder.decode(message)
                } catch {
                    failures += 1
                    if sendDecodeFailures {
                        var flagged = message
                        flagged.addField(.string("decode_error", ByteString(error.reason)))
                        decoded.append(flagged)
                    }
                }
            }
            if failures > 0 && !sendDecodeFailures {
                ledger.noteRead(failures)
                ledger.noteSettled(BatchOutcome(messages: failures, delivered: 0, unmatched: 0,
                                                dropped: ["decode_failed": failures]))
                counters.addDropped(failures, reason: "decode_failed")
            }
        } else {
            decoded = messages
        }
        ledger.noteRead(decoded.count)
        let ledger = ledger
        let acknowledgement = BatchAcknowledgement(messageCount: decoded.count) { outcome in
            ledger.noteSettled(outcome)
            onSettled?(outcome)
        }
        await router.route(decoded, acknowledgement: acknowledgement)
    }
}
