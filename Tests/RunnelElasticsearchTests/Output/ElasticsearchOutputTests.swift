import Foundation
import RunnelCore
import RunnelElasticsearch
import RunnelHTTP
import Testing
import RunnelESTestServer

/// The output against the `_bulk` test server over real HTTP: batching, per-item outcomes,
/// whole-request failures, splitting, failover, authentication and compression.
@Suite(.serialized) struct ElasticsearchOutputTests {
    static func encoder(_ extra: String = "") throws -> any Encoder {
        try ESTestConfig.encoder("[ESJsonEncoder]\nindex = \"%{MARATHON_APP_ID}-%{%Y.%m.%d}\"\nes_index_from_timestamp = true\n" + extra,
                                 section: "ESJsonEncoder")
    }

    static func messages(_ count: Int, from start: Int = 0, conflictEvery: Int = 0) -> [Message] {
        (start..<(start + count)).map { number in
            var message = ESTestMessages.dockerLog("line \(number)", timestamp: ESTestMessages.timestamp + Int64(number))
            let conflict = conflictEvery > 0 && number % conflictEvery == conflictEvery - 1
            message.fields.append(conflict ? .string("bytes", "not a number") : .integer("bytes", Int64(number)))
            return message
        }
    }

    /// Runs the output until `count` messages settled, then closes its queue and waits for it.
    static func run(_ harness: OutputHarness, _ output: ElasticsearchOutput, feed: [[Message]], expect count: Int,
                    timeout: Duration = .seconds(30)) async throws {
        let task = Task { try await output.run(harness.context) }
        for batch in feed { await harness.push(batch) }
        let settled = await harness.waitSettled(count, timeout: timeout)
        harness.queue.close()
        _ = try await task.value
        #expect(settled, "settled \(harness.settledMessages) of \(count)")
    }

    @Test func storesEveryMessageInRequestsOfFlushCount() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.flushCount = 100
        let output = ElasticsearchOutput(options: options)
        try await Self.run(harness, output, feed: stride(from: 0, to: 1000, by: 250).map { Self.messages(250, from: $0) }, expect: 1000)
        #expect(server.storedCount == 1000)
        #expect(harness.delivered == 1000 && harness.dropped.isEmpty)
        #expect(harness.counters.snapshot.delivered == 1000)
        #expect(output.stats.snapshot.requests == 10)
        let stored = try #require(server.document(index: "web-api-2013.11.04", id: server.allDocuments.first?.id ?? ""))
        #expect(stored.version == 1)
    }

    @Test func flushBytesBoundsRequestsAndFlushIntervalSendsStragglers() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.flushBytes = 8 << 10
        options.flushInterval = .milliseconds(200)
        let output = ElasticsearchOutput(options: options)
        let started = ContinuousClock.now
        try await Self.run(harness, output, feed: [Self.messages(5)], expect: 5)
        #expect(ContinuousClock.now - started >= .milliseconds(150), "five messages wait for the interval")
        try await Self.run(harness, ElasticsearchOutput(options: options, stats: output.stats), feed: [], expect: 5)
        let big = try OutputHarness(encoder: try Self.encoder())
        defer { big.remove() }
        var bigOptions = big.options(server: server.url)
        bigOptions.flushBytes = 8 << 10
        let bounded = ElasticsearchOutput(options: bigOptions)
        try await Self.run(big, bounded, feed: [Self.messages(200, from: 100)], expect: 200)
        let bodyBytes = server.state.withLock { $0.bodyBytes }
        #expect(bounded.stats.snapshot.requests >= 200 * 400 / (8 << 10))
        #expect(bodyBytes / max(1, server.state.withLock { $0.requests }) <= 8 << 10)
    }

    @Test func throttledItemsAreRetriedAloneUntilStored() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        server.setFaults { $0.itemRejectFraction = 0.3 }
        // No ids: if whole batches were resent, the server would store copies.
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        let output = ElasticsearchOutput(options: harness.options(server: server.url))
        try await Self.run(harness, output, feed: [Self.messages(500), Self.messages(500, from: 500)], expect: 1000)
        #expect(server.storedCount == 1000)
        let stats = output.stats.snapshot
        let attempts = server.state.withLock { $0.itemAttempts }
        #expect(stats.itemRetries > 200 && attempts == 1000 + stats.itemRetries)
        #expect(harness.delivered == 1000)
    }

    @Test func mappingConflictsGoToTheDeadLetterFileWithTheirReason() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        let output = ElasticsearchOutput(options: harness.options(server: server.url))
        try await Self.run(harness, output, feed: [Self.messages(300, conflictEvery: 10)], expect: 300)
        #expect(server.storedCount == 270)
        #expect(harness.dropped == ["dead_letter": 30] && harness.delivered == 270)
        #expect(harness.counters.snapshot.dropped == ["dead_letter": 30])
        let lines = harness.deadLetterLines
        #expect(lines.count == 30)
        let entry = try JSONReader.parse(try #require(lines.first))
        #expect(entry["status"] == .integer(400))
        #expect(entry["error"]?["type"] == .string("mapper_parsing_exception"))
        #expect(entry["reason"].map { "\($0)".contains("failed to parse field [bytes]") } == true)
        #expect(entry["document"]?["bytes"] == .string("not a number"))
        #expect(entry["document"]?["Payload"] == .string("line 9"))
        #expect(entry["action"]?["index"]?["_index"] == .string("web-api-2013.11.04"))
    }

    @Test func createWithDeterministicIDsCountsResentDocumentsAsDuplicates() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        let encoder = try Self.encoder("deterministic_id = true")
        let first = try OutputHarness(encoder: encoder)
        defer { first.remove() }
        try await Self.run(first, ElasticsearchOutput(options: first.options(server: server.url)), feed: [Self.messages(200)], expect: 200)
        let again = try OutputHarness(encoder: encoder)
        defer { again.remove() }
        let output = ElasticsearchOutput(options: again.options(server: server.url))
        try await Self.run(again, output, feed: [Self.messages(300)], expect: 300)
        #expect(server.storedCount == 300)
        #expect(output.stats.snapshot.duplicates == 200 && output.stats.snapshot.stored == 100)
        #expect(again.delivered == 300 && server.allDocuments.allSatisfy { $0.version == 1 })
    }

    @Test func wholeRequestFailuresAreRetriedWithoutLoss() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        server.setFaults { $0.wholeRequestStatuses = [429, 503, 500, 429] }
        let harness = try OutputHarness(encoder: try Self.encoder("deterministic_id = true"))
        defer { harness.remove() }
        let output = ElasticsearchOutput(options: harness.options(server: server.url))
        try await Self.run(harness, output, feed: [Self.messages(400)], expect: 400)
        #expect(server.storedCount == 400 && harness.delivered == 400)
        #expect(output.stats.snapshot.requestFailures == 4)
    }

    @Test func tooLargeRequestsAreSplitAndATooLargeDocumentIsDeadLettered() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        server.setFaults { $0.maxBodyBytes = 16 << 10 }
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        var huge = ESTestMessages.dockerLog(String(repeating: "x", count: 20 << 10))
        huge.fields.append(.integer("bytes", 1))
        let output = ElasticsearchOutput(options: harness.options(server: server.url))
        try await Self.run(harness, output, feed: [Self.messages(300), [huge]], expect: 301)
        #expect(server.storedCount == 300)
        #expect(output.stats.snapshot.splits > 0)
        #expect(harness.dropped == ["dead_letter": 1])
        #expect(harness.deadLetterLines.first?.contains("413") == true)
    }

    @Test func failsOverToTheNextServer() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        let closed = try await BulkTestServer.start()
        let closedURL = closed.url
        await closed.stop()
        let harness = try OutputHarness(encoder: try Self.encoder("deterministic_id = true"))
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.servers = [closedURL, server.url]
        let output = ElasticsearchOutput(options: options)
        try await Self.run(harness, output, feed: [Self.messages(100)], expect: 100)
        #expect(server.storedCount == 100 && output.stats.snapshot.failovers >= 1)
    }

    @Test func timedOutRequestsAreRetriedAndStoredOnce() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        server.setFaults { $0.latency = .milliseconds(400) }
        let harness = try OutputHarness(encoder: try Self.encoder("deterministic_id = true"))
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.httpTimeout = .milliseconds(150)
        let output = ElasticsearchOutput(options: options)
        let task = Task { try await output.run(harness.context) }
        await harness.push(Self.messages(50))
        try await Task.sleep(for: .milliseconds(700))
        #expect(harness.settledMessages == 0, "nothing confirmed while requests time out")
        server.setFaults { $0.latency = .zero }
        let settled = await harness.waitSettled(50, timeout: .seconds(20))
        harness.queue.close()
        try await task.value
        #expect(settled && server.storedCount == 50 && harness.delivered == 50)
        #expect(output.stats.snapshot.requestFailures >= 1)
        #expect(server.allDocuments.allSatisfy { $0.version == 1 })
    }

    @Test(arguments: [("basic", "Basic dXNlcjpwYXNz"), ("apikey", "ApiKey aWQ6a2V5")])
    func authenticates(_ kind: String, _ header: String) async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        server.setFaults { $0.requiredAuthorization = header }
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        if kind == "basic" {
            options.username = "user"
            options.password = "pass"
        } else {
            options.apiKey = "aWQ6a2V5"
        }
        try await Self.run(harness, ElasticsearchOutput(options: options), feed: [Self.messages(20)], expect: 20)
        #expect(server.storedCount == 20)
    }

    @Test func wrongCredentialsKeepMessagesUnconfirmed() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        server.setFaults { $0.requiredAuthorization = "Basic other" }
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.username = "user"
        let output = ElasticsearchOutput(options: options)
        let task = Task { try await output.run(harness.context) }
        await harness.push(Self.messages(10))
        try await Task.sleep(for: .milliseconds(400))
        #expect(harness.settledMessages == 0 && harness.dropped.isEmpty)
        task.cancel()
        harness.queue.close()
        try await task.value
        #expect(server.storedCount == 0 && output.stats.snapshot.requestFailures >= 1)
    }

    @Test func gzipRequestBodies() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        let harness = try OutputHarness(encoder: try Self.encoder())
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.gzip = true
        try await Self.run(harness, ElasticsearchOutput(options: options), feed: [Self.messages(500)], expect: 500)
        #expect(server.storedCount == 500)
    }

    @Test func heldBytesStayBoundedWhileTheServerIsDown() async throws {
        let server = try await BulkTestServer.start()
        let url = server.url
        await server.stop()
        let harness = try OutputHarness(encoder: try Self.encoder("deterministic_id = true"), queueBytes: 1 << 20)
        defer { harness.remove() }
        var options = harness.options(server: url)
        options.flushBytes = 32 << 10
        options.maxHeldBytes = 128 << 10
        let output = ElasticsearchOutput(options: options)
        let task = Task { try await output.run(harness.context) }
        let feeder = Task {
            for start in stride(from: 0, to: 20_000, by: 500) { await harness.push(Self.messages(500, from: start)) }
        }
        try await Task.sleep(for: .seconds(1))
        #expect(harness.settledMessages == 0)
        #expect(harness.queue.depth.bytes <= 1 << 20)
        try await server.restart()
        _ = await feeder.value
        let settled = await harness.waitSettled(20_000, timeout: .seconds(60))
        harness.queue.close()
        try await task.value
        #expect(settled && server.storedCount == 20_000)
        let peak = output.stats.snapshot.peakHeldBytes
        #expect(peak <= (128 << 10) + 500 * 600, "peak held \(peak) bytes")
        await server.stop()
    }
}
