import Foundation
import RunnelCore
import RunnelElasticsearch
import Testing
import RunnelESTestServer

/// The output under load against a server that refuses 5 % of items with 429 and 1 % with mapping
/// errors, and across a server outage: every accepted document is stored exactly once, every
/// mapping failure is in the dead-letter file with its reason, nothing else is lost, and the
/// output's memory stays bounded. 50,000 messages and a 3 s outage in `make test`; 1,000,000 and
/// 30 s with `RUNNEL_LONG=1`.
@Suite(.serialized, .enabled(if: ESIntegration.enabled)) struct ESLoadTests {
    static let batchSize = 1000

    @Test func fivePercentThrottledOnePercentMappingErrors() async throws {
        let total = ESIntegration.long ? 1_000_000 : 50_000
        let server = try await BulkTestServer.start(keepSources: false)
        server.setFaults { $0.itemRejectFraction = 0.05 }
        let encoder = try ElasticsearchOutputTests.encoder("deterministic_id = true")
        let harness = try OutputHarness(encoder: encoder, queueBytes: 32 << 20)
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.flushInterval = .milliseconds(100)
        let output = ElasticsearchOutput(options: options)
        let started = ContinuousClock.now
        let task = Task { try await output.run(harness.context) }
        for start in stride(from: 0, to: total, by: Self.batchSize) {
            await harness.push(ElasticsearchOutputTests.messages(Self.batchSize, from: start, conflictEvery: 100))
        }
        let settled = await harness.waitSettled(total, timeout: ESIntegration.long ? .seconds(900) : .seconds(120))
        harness.queue.close()
        try await task.value
        let elapsed = ContinuousClock.now - started
        #expect(settled, "settled \(harness.settledMessages) of \(total)")

        let conflicts = total / 100
        let ids = try DeterministicDocumentID(parts: DeterministicDocumentID.defaultParts)
        let stored = server.allDocuments
        #expect(stored.count == total - conflicts, "accepted documents stored")
        #expect(stored.allSatisfy { $0.version == 1 }, "each stored once")
        let storedIDs = Set(stored.map(\.id))
        var missing = 0
        for start in stride(from: 0, to: total, by: Self.batchSize) {
            for (offset, message) in ElasticsearchOutputTests.messages(Self.batchSize, from: start).enumerated()
            where (start + offset) % 100 != 99 {
                if !storedIDs.contains(String(decoding: ids.id(for: message), as: UTF8.self)) { missing += 1 }
            }
        }
        #expect(missing == 0, "every accepted message's id is stored")

        let deadLetters = harness.deadLetterLines
        #expect(deadLetters.count == conflicts)
        #expect(deadLetters.allSatisfy { $0.contains("mapper_parsing_exception") && $0.contains("not a number") })
        #expect(harness.delivered == total - conflicts && harness.dropped == ["dead_letter": conflicts])
        let stats = output.stats.snapshot
        let throttled = server.state.withLock { $0.statusCounts[429] ?? 0 }
        #expect(throttled > total / 30 && stats.itemRetries == throttled)
        print("ES load: \(total) messages in \(elapsed), \(stats.requests) requests, \(throttled) items throttled and retried, \(conflicts) dead-lettered, peak held \(stats.peakHeldBytes) bytes")
    }

    @Test func serverDownMidRunThenBackLosesNothing() async throws {
        let total = ESIntegration.long ? 200_000 : 40_000
        let outage: Duration = ESIntegration.long ? .seconds(30) : .seconds(3)
        let server = try await BulkTestServer.start(keepSources: false)
        let harness = try OutputHarness(encoder: try ElasticsearchOutputTests.encoder("deterministic_id = true"), queueBytes: 4 << 20)
        defer { harness.remove() }
        var options = harness.options(server: server.url)
        options.flushBytes = 256 << 10
        options.maxHeldBytes = 1 << 20
        options.retry = RetryPolicy(delay: .milliseconds(50), maxDelay: .seconds(1), maxJitter: .milliseconds(50), maxRetries: -1)
        let output = ElasticsearchOutput(options: options)
        let task = Task { try await output.run(harness.context) }
        let feeder = Task {
            for start in stride(from: 0, to: total, by: Self.batchSize) {
                await harness.push(ElasticsearchOutputTests.messages(Self.batchSize, from: start))
            }
        }
        while harness.settledMessages < total / 4 { try await Task.sleep(for: .milliseconds(5)) }
        await server.stop()
        let settledAtStop = harness.settledMessages
        var peakQueueBytes = 0
        let outageEnd = ContinuousClock.now + outage
        while ContinuousClock.now < outageEnd {
            peakQueueBytes = max(peakQueueBytes, harness.queue.depth.bytes)
            try await Task.sleep(for: .milliseconds(20))
        }
        // A request answered just before the stop may settle late; nothing more may.
        #expect(harness.settledMessages - settledAtStop <= options.maxConcurrency * (256 << 10) / 250)
        try await server.restart()
        _ = await feeder.value
        let settled = await harness.waitSettled(total, timeout: .seconds(120))
        harness.queue.close()
        try await task.value
        #expect(settled && harness.delivered == total)
        #expect(server.storedCount == total && server.allDocuments.allSatisfy { $0.version == 1 })
        let peakHeld = output.stats.snapshot.peakHeldBytes
        #expect(peakHeld <= (1 << 20) + Self.batchSize * 600, "held \(peakHeld) bytes")
        #expect(peakQueueBytes <= 4 << 20)
        print("ES outage: \(outage) down, \(output.stats.snapshot.requestFailures) failed requests, peak held \(peakHeld) bytes, peak queue \(peakQueueBytes) bytes")
    }
}
