import Logging
import RunnelCore
import RunnelHTTP
import Synchronization

/// Heka's ElasticSearchOutput, rebuilt on Elastic's bulk contract: messages encoded by an ES
/// encoder (action line + document) are gathered into `_bulk` requests by `flush_count`,
/// `flush_bytes` and `flush_interval`, several requests in flight under an adaptive limit, and
/// each item's result decides its message's fate (`BulkExchange`). Only what failed is sent again.
/// Each message is confirmed on its own, so an input's checkpoint moves exactly past what
/// Elasticsearch stored or the dead-letter file holds.
public struct ElasticsearchOutput: OutputPlugin {
    public struct Options: Sendable {
        public var servers: [String] = ["http://localhost:9200"]
        public var tls = TLSOptions()
        public var username: String?
        public var password: String?
        public var apiKey: String?
        public var connectTimeout: Duration = .seconds(10)
        /// Limit on one request, response included; nil waits for ever.
        public var httpTimeout: Duration? = .seconds(60)
        public var gzip = false
        public var httpVersion: HTTPVersionPreference = .automatic
        public var disableKeepAlives = false
        public var flushCount = 5000
        public var flushBytes = 5 << 20
        public var flushInterval: Duration = .seconds(1)
        public var initialConcurrency = 2
        public var minConcurrency = 1
        public var maxConcurrency = 8
        /// Backoff of retried items and requests.
        public var retry = RetryPolicy(delay: .milliseconds(100), maxDelay: .seconds(30), maxJitter: .milliseconds(250), maxRetries: -1)
        public var deadLetterPath: String
        /// Encoded bytes the output holds unresolved (waiting, in flight, to be retried) before it
        /// stops taking batches from its queue; 0 picks `flush_bytes × (max_in_flight + 2)`.
        public var maxHeldBytes = 0

        public init(deadLetterPath: String) {
            self.deadLetterPath = deadLetterPath
        }

        var heldBytesLimit: Int { maxHeldBytes > 0 ? maxHeldBytes : flushBytes * (maxConcurrency + 2) }
    }

    public let options: Options
    public let stats: ElasticsearchOutputStats
    let client: CurlHTTPClient

    public init(options: Options, stats: ElasticsearchOutputStats = ElasticsearchOutputStats(), client: CurlHTTPClient = .shared) {
        self.options = options
        self.stats = stats
        self.client = client
    }

    public func run(_ context: OutputContext) async throws {
        let servers = try ElasticsearchServers(ElasticsearchServers.Settings(
            urls: options.servers, tls: options.tls, username: options.username, password: options.password, apiKey: options.apiKey,
            connectTimeout: options.connectTimeout, requestTimeout: options.httpTimeout, gzip: options.gzip,
            httpVersion: options.httpVersion, disableKeepAlives: options.disableKeepAlives))
        let held = HeldItems()
        let limiter = AdaptiveConcurrency(initial: options.initialConcurrency, minimum: options.minConcurrency, maximum: options.maxConcurrency)
        let exchange = BulkExchange(client: client, servers: servers, limiter: limiter, held: held,
                                    deadLetters: DeadLetterFile(path: options.deadLetterPath), retryPolicy: options.retry,
                                    stats: stats, context: context)
        await withTaskGroup(of: Void.self) { group in
            var loop = OutputLoop(options: options, context: context, held: held, limiter: limiter)
            await loop.run { entries in
                group.addTask {
                    await exchange.send(entries)
                    held.requestEnded()
                }
            }
        }
        stats.update { $0.peakHeldBytes = max($0.peakHeldBytes, held.peakHeldBytes) }
    }
}

/// The output's own task: takes batches and hands requests out when a flush condition holds (the
/// requests' tasks encode the messages, in parallel, then wait for a slot under the concurrency
/// limit). A few more requests than the limit may be open, so that bodies are encoded while the
/// limit's requests are out rather than only after one comes back.
struct OutputLoop {
    /// Requests beyond the concurrency limit that may be encoding or waiting with a ready body.
    static let encodeAhead = 2

    let options: ElasticsearchOutput.Options
    let context: OutputContext
    let held: HeldItems
    let limiter: AdaptiveConcurrency
    var pending: [PendingEntry] = []
    var pendingBytes = 0
    var oldestPending: ContinuousClock.Instant?
    var inputFinished = false

    init(options: ElasticsearchOutput.Options, context: OutputContext, held: HeldItems, limiter: AdaptiveConcurrency) {
        self.options = options
        self.context = context
        self.held = held
        self.limiter = limiter
    }

    mutating func run(launch: ([PendingEntry]) -> Void) async {
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let due = held.takeDueRetries(now: now)
            if !due.isEmpty {
                pending.insert(contentsOf: due.map(PendingEntry.item), at: 0)
                pendingBytes += due.reduce(0) { $0 + $1.lines.count }
                oldestPending = oldestPending ?? now
            }
            launchWhatIsDue(now: now, launch: launch)
            if inputFinished && pending.isEmpty && held.isIdle { return }

            guard !inputFinished && held.heldBytes < options.heldBytesLimit else {
                try? await Task.sleep(for: .milliseconds(1))
                continue
            }
            let batch: OutputBatch?
            if pending.isEmpty && !held.hasWork {
                batch = await context.next()
            } else {
                var wait = Duration.milliseconds(10)
                if let oldestPending, !held.hasWork {
                    wait = max(.milliseconds(1), options.flushInterval - (now - oldestPending))
                }
                batch = await context.next(timeout: wait)
            }
            if let batch {
                add(batch)
            } else if context.isFinished {
                inputFinished = true
            }
        }
    }

    private mutating func launchWhatIsDue(now: ContinuousClock.Instant, launch: ([PendingEntry]) -> Void) {
        let openLimit = limiter.limit + Self.encodeAhead
        while let group = held.takeSplit() {
            guard held.tryStartRequest(limit: openLimit) else {
                held.putBackSplit(group)
                return
            }
            launch(group.map(PendingEntry.item))
        }
        while !pending.isEmpty {
            let intervalDue = oldestPending.map { now - $0 >= options.flushInterval } ?? false
            let due = pending.count >= options.flushCount || pendingBytes >= options.flushBytes || intervalDue || inputFinished
            guard due, held.tryStartRequest(limit: openLimit) else { return }
            var count = 0
            var bytes = 0
            while count < pending.count && count < options.flushCount
                    && (count == 0 || bytes + pending[count].bytes <= options.flushBytes) {
                bytes += pending[count].bytes
                count += 1
            }
            let items = Array(pending[..<count])
            pending.removeFirst(count)
            pendingBytes -= bytes
            oldestPending = pending.isEmpty ? nil : now
            launch(items)
        }
    }

    private mutating func add(_ batch: OutputBatch) {
        let tracker = BatchTracker(batch: batch)
        var bytes = 0
        pending.reserveCapacity(pending.count + tracker.messages.count)
        // Read in place: an element taken out of the array would be a copy retaining each member.
        tracker.messages.withUnsafeBufferPointer { messages in
            for position in messages.indices {
                let estimate = PendingEntry.estimate(messages[position])
                bytes += estimate
                pending.append(.message(tracker: tracker, position: position, estimate: estimate))
            }
        }
        held.hold(bytes: bytes)
        pendingBytes += bytes
        if bytes > 0 { oldestPending = oldestPending ?? .now }
    }
}
