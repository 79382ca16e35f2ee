import Logging
import RunnelCore
import RunnelHTTP
import Synchronization

/// Sends one bulk request and decides the fate of each of its items from the answer:
/// - 200 with per-item results: stored and duplicates are confirmed, throttled or transient items
///   are retried alone after a backoff, the rest go to the dead-letter file;
/// - 429, 408, 5xx, timeouts, connection failures: every item is retried after a backoff, and after
///   5xx or a connection failure the next server in the list is used;
/// - 413 (and 400 for the whole request): the request is split in two and each half sent again,
///   down to single items, which then go to the dead-letter file.
final class BulkExchange: Sendable {
    let client: CurlHTTPClient
    let servers: ElasticsearchServers
    let limiter: AdaptiveConcurrency
    let held: HeldItems
    let deadLetters: DeadLetterFile
    let retryPolicy: RetryPolicy
    let stats: ElasticsearchOutputStats
    let context: OutputContext
    let bodies: BodyBuffers
    var logger: Logger { context.logger }
    var outputName: String { context.name }
    /// Whether the last request failed, so an outage is logged once when it starts and once when it ends.
    private let failing = Mutex(false)

    init(client: CurlHTTPClient, servers: ElasticsearchServers, limiter: AdaptiveConcurrency, held: HeldItems,
         deadLetters: DeadLetterFile, retryPolicy: RetryPolicy, stats: ElasticsearchOutputStats, context: OutputContext) {
        self.client = client
        self.servers = servers
        self.limiter = limiter
        self.held = held
        self.deadLetters = deadLetters
        self.retryPolicy = retryPolicy
        self.stats = stats
        self.context = context
        bodies = BodyBuffers(keep: limiter.maximum + OutputLoop.encodeAhead)
    }

    /// Encodes `entries` into one body, waits for a slot under the concurrency limit (so the next
    /// bodies are encoded while the limit's requests are out), sends it and settles every item.
    func send(_ entries: [PendingEntry]) async {
        let encodeStart = ContinuousClock.now
        var body = bodies.take(capacity: entries.reduce(0) { $0 + $1.bytes } + 4096)
        let items = encode(entries, into: &body)
        stats.update { $0.encodeTime += ContinuousClock.now - encodeStart }
        await send(items, body: body)
        // The items, slices of the body, are gone: its storage can carry another request.
        bodies.give(body)
    }

    private func send(_ items: [BulkItem], body: [UInt8]) async {
        guard !items.isEmpty else { return }
        guard await limiter.acquire() else {
            // The output is stopping: the items stay unconfirmed, held for a retry.
            scheduleRetries(items)
            return
        }
        let server = servers.currentIndex
        let started = ContinuousClock.now
        stats.update { $0.requests += 1 }
        let signal: AdaptiveConcurrency.Signal
        do {
            let (status, _, response) = try await client.send(servers.bulkRequest(body, server: server), maxBodyBytes: 512 << 20)
            signal = handle(status: status, response: response, items: items, server: server)
        } catch {
            let reason = (error as? HTTPClientError)?.description ?? "\(error)"
            requestFailed(items, server: server, reason: reason, failover: true)
            signal = .failed
        }
        let latency = ContinuousClock.now - started
        stats.update { $0.responseTime += latency }
        limiter.release(signal: signal, latency: latency, bytes: body.count)
    }

    /// Encodes the messages among `entries` straight into the request body (in this request's
    /// task, so requests encode in parallel) and copies in the items already encoded; a message
    /// the encoder refuses is dropped as `encode_failed`, one whose output is not an action and a
    /// document as `not_bulk_format`. Held bytes move from the estimate to the real size.
    private func encode(_ entries: [PendingEntry], into body: inout [UInt8]) -> [BulkItem] {
        // Items are sliced from the body once it is complete: a slice taken earlier would share
        // the buffer and make every later append copy it.
        var placed: [(entry: Int, end: Int, layout: BulkItem.Layout)] = []
        placed.reserveCapacity(entries.count)
        var change = 0
        let encoder = context.useFraming ? nil : (context.encoder as? any ESTaskLocalCopy)?.taskLocalCopy()
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                let start = body.count
                switch entries[index] {
                case .item(let item):
                    body.append(contentsOf: item.lines)
                    placed.append((index, body.count, item.layout))
                case .message(let tracker, let position, let estimate):
                    let encoded = tracker.messages.withUnsafeBufferPointer { encodeMessage($0[position], with: encoder, into: &body) }
                    guard encoded else {
                        tracker.dropped(position, reason: "encode_failed")
                        change -= estimate
                        continue
                    }
                    guard let layout = body.withUnsafeBytes({ BulkItem.Layout(UnsafeRawBufferPointer(rebasing: $0[start...])) }) else {
                        body.removeSubrange(start...)
                        logger.debug("encoder output is not a bulk action and document", metadata: ["output": "\(outputName)"])
                        tracker.dropped(position, reason: "not_bulk_format")
                        change -= estimate
                        continue
                    }
                    if body.last != UInt8(ascii: "\n") { body.append(UInt8(ascii: "\n")) }
                    change += body.count - start - estimate
                    placed.append((index, body.count, layout))
                }
            }
        }
        held.hold(bytes: change)
        var items: [BulkItem] = []
        items.reserveCapacity(placed.count)
        var start = 0
        for (index, end, layout) in placed {
            switch entries[index] {
            case .item(let item):
                items.append(BulkItem(lines: body[start..<end], layout: layout, tracker: item.tracker, position: item.position, attempts: item.attempts))
            case .message(let tracker, let position, _):
                items.append(BulkItem(lines: body[start..<end], layout: layout, tracker: tracker, position: position, attempts: 0))
            }
            start = end
        }
        return items
    }

    /// One message appended to `body`; false, with nothing appended, when the encoder refuses it.
    private func encodeMessage(_ message: Message, with encoder: (any ESTaskLocalCopy)?, into body: inout [UInt8]) -> Bool {
        guard let encoder else { return context.encodeOne(message, into: &body) }
        let start = body.count
        do throws(EncodeFailure) {
            try encoder.encode(message, into: &body)
            return true
        } catch {
            body.removeSubrange(start...)
            logger.debug("encoder refused a message", metadata: ["output": "\(outputName)", "reason": "\(error.reason)"])
            return false
        }
    }

    private func handle(status: Int, response: [UInt8], items: [BulkItem], server: Int) -> AdaptiveConcurrency.Signal {
        switch status {
        case 200..<300:
            if BulkResponse.countIfAllSucceeded(response) == items.count {
                recovered()
                return settle(items, results: nil)
            }
            let parsed: BulkResponse
            do {
                parsed = try BulkResponse.parse(response)
            } catch {
                requestFailed(items, server: server, reason: "unusable bulk response: \(error)", failover: false)
                return .failed
            }
            guard parsed.items.count == items.count else {
                requestFailed(items, server: server, reason: "bulk response has \(parsed.items.count) items for \(items.count) sent", failover: false)
                return .failed
            }
            recovered()
            return settle(items, results: parsed.items)
        case 400 where !Self.isContentError(response):
            // A 400 that is not about the body (a wrong path behind a proxy, say) would otherwise
            // split every request down to single documents and dead-letter them all.
            requestFailed(items, server: server, reason: "HTTP 400: \(Self.text(response))", failover: false)
            return .failed
        case 413, 400:
            if items.count > 1 {
                let middle = items.count / 2
                held.split([items[..<middle].map { $0.detached() }, items[middle...].map { $0.detached() }])
                stats.update { $0.splits += 1 }
                return .clean
            }
            let reason = status == 413 ? "document larger than the server accepts (413)" : "request refused (400): \(Self.text(response))"
            deadLetter(items, results: [BulkResponse.Item(status: status, errorType: nil, reason: reason, error: Self.errorObject(response))])
            return .clean
        case 429:
            requestFailed(items, server: server, reason: "429 Too Many Requests", failover: false)
            return .throttled
        case 408, 500..<600:
            requestFailed(items, server: server, reason: "HTTP \(status): \(Self.text(response))", failover: status != 408)
            return .failed
        default:
            // 401, 403, 404…: the configuration or the cluster needs fixing; nothing is dropped.
            requestFailed(items, server: server, reason: "HTTP \(status): \(Self.text(response))", failover: false)
            return .failed
        }
    }

    private static let created = BulkResponse.Item(status: 201)

    /// `results` nil: every item was created (the common answer, read without parsing it).
    private func settle(_ items: [BulkItem], results: [BulkResponse.Item]?) -> AdaptiveConcurrency.Signal {
        var retries: [BulkItem] = []
        var deadItems: [BulkItem] = []
        var deadResults: [BulkResponse.Item] = []
        var throttled = 0
        var resolvedBytes = 0
        var stored = 0
        var duplicates = 0
        // Consecutive deliveries from one batch are counted together and settled with one lock.
        var run: (tracker: BatchTracker, count: Int)?
        func deliver(_ item: BulkItem) {
            if let current = run, current.tracker === item.tracker {
                run = (current.tracker, current.count + 1)
                return
            }
            if let current = run { current.tracker.delivered(count: current.count) }
            run = (item.tracker, 1)
        }
        for (index, item) in items.enumerated() {
            let result = results?[index] ?? Self.created
            switch BulkItemOutcome.classify(status: result.status, errorType: result.errorType, isCreate: item.isCreate, hasID: item.hasID) {
            case .stored:
                stored += 1
                resolvedBytes += item.lines.count
                deliver(item)
            case .duplicate:
                duplicates += 1
                resolvedBytes += item.lines.count
                deliver(item)
            case .retry:
                if result.status == 429 || result.errorType == "es_rejected_execution_exception" { throttled += 1 }
                retries.append(item)
            case .deadLetter:
                deadItems.append(item)
                deadResults.append(result)
            }
        }
        if let current = run { current.tracker.delivered(count: current.count) }
        held.resolved(bytes: resolvedBytes)
        stats.update {
            $0.stored += stored
            $0.duplicates += duplicates
            $0.itemRetries += retries.count
        }
        scheduleRetries(retries)
        deadLetter(deadItems, results: deadResults)
        // A few throttled items are normal under load; many mean the cluster is saturated.
        return throttled * 10 > items.count ? .throttled : .clean
    }

    private func deadLetter(_ items: [BulkItem], results: [BulkResponse.Item]) {
        guard !items.isEmpty else { return }
        let entries = zip(items, results).map { item, result in
            DeadLetterFile.Entry(action: item.action, document: item.document, status: result.status, error: result.error,
                                 reason: [result.errorType, result.reason].compactMap { $0 }.joined(separator: ": "))
        }
        do {
            try deadLetters.append(entries)
        } catch {
            logger.error("cannot write the dead-letter file; the documents stay queued", metadata: ["output": "\(outputName)", "error": "\(error)"])
            scheduleRetries(items)
            return
        }
        held.resolved(bytes: items.reduce(0) { $0 + $1.lines.count })
        stats.update { $0.deadLettered += items.count }
        for item in items { item.tracker.dropped(item.position, reason: "dead_letter") }
    }

    private func requestFailed(_ items: [BulkItem], server: Int, reason: String, failover: Bool) {
        stats.update { $0.requestFailures += 1 }
        if failover && servers.settings.urls.count > 1 {
            servers.failover(from: server)
            stats.update { $0.failovers += 1 }
        }
        let first = failing.withLock { wasFailing in
            defer { wasFailing = true }
            return !wasFailing
        }
        if first {
            logger.warning("Elasticsearch request failed; retrying with backoff",
                           metadata: ["output": "\(outputName)", "server": "\(servers.url(at: server))", "reason": "\(reason)"])
        }
        scheduleRetries(items)
    }

    private func recovered() {
        let was = failing.withLock { wasFailing in
            defer { wasFailing = false }
            return wasFailing
        }
        if was { logger.notice("Elasticsearch requests succeed again", metadata: ["output": "\(outputName)"]) }
    }

    private func scheduleRetries(_ items: [BulkItem]) {
        guard !items.isEmpty else { return }
        var generator = SystemRandomNumberGenerator()
        var again: [BulkItem] = []
        var delays: [Duration] = []
        for item in items {
            var item = item.detached()
            item.attempts += 1
            delays.append(retryPolicy.wait(beforeAttempt: item.attempts, using: &generator))
            again.append(item)
        }
        held.retry(again, after: delays)
    }

    /// Error types Elasticsearch gives a whole bulk request whose body it could not read.
    static let contentErrorTypes: Set<String> = [
        "x_content_parse_exception", "parse_exception", "json_parse_exception", "illegal_argument_exception",
        "mapper_parsing_exception", "action_request_validation_exception", "not_x_content_exception",
    ]

    static func isContentError(_ body: [UInt8]) -> Bool {
        guard case .string(let type)? = errorObject(body)?["type"] else { return false }
        return contentErrorTypes.contains(type)
    }

    private static func text(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(300), as: UTF8.self)
    }

    private static func errorObject(_ body: [UInt8]) -> JSONValue? {
        (try? JSONReader.parse(body))?["error"]
    }
}
