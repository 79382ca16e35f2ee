import Foundation
import RunnelCore
@testable import RunnelElasticsearch
import Testing

/// The pure decisions: item outcomes, response parsing, the adaptive limit, the option schema.
@Suite struct BulkDecisionTests {
    @Test(arguments: [
        (201, nil, false, false, BulkItemOutcome.stored), (200, nil, true, true, .stored),
        (409, "version_conflict_engine_exception", true, true, .duplicate),
        (409, "version_conflict_engine_exception", false, true, .deadLetter),
        (409, "version_conflict_engine_exception", true, false, .deadLetter),
        (429, "es_rejected_execution_exception", false, false, .retry), (503, nil, false, false, .retry),
        (500, "whatever", false, false, .retry), (403, "cluster_block_exception", false, false, .retry),
        (400, "mapper_parsing_exception", false, false, .deadLetter), (404, "index_not_found_exception", false, false, .deadLetter),
        (400, "es_rejected_execution_exception", false, false, .retry),
    ] as [(Int, String?, Bool, Bool, BulkItemOutcome)])
    func itemOutcomes(_ status: Int, _ type: String?, _ isCreate: Bool, _ hasID: Bool, _ expected: BulkItemOutcome) {
        #expect(BulkItemOutcome.classify(status: status, errorType: type, isCreate: isCreate, hasID: hasID) == expected)
    }

    @Test func parsesElasticsResponseShape() throws {
        let body = #"{"took":30,"errors":true,"items":[{"index":{"_index":"test","_id":"1","_version":1,"result":"created","status":201}},{"create":{"_index":"test","_id":"2","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[2]: version conflict"}}},{"delete":{"_index":"test","_id":"3","status":404,"result":"not_found"}}]}"#
        let response = try BulkResponse.parse(Array(body.utf8))
        #expect(response.errors)
        #expect(response.items.map(\.status) == [201, 409, 404])
        #expect(response.items[1].errorType == "version_conflict_engine_exception" && response.items[1].reason == "[2]: version conflict")
    }

    @Test(arguments: ["", "nope", #"{"errors":false}"#, #"{"items":[{"index":{"_id":"1"}}]}"#, #"{"items":[7]}"#])
    func malformedResponsesAreErrorsNotCrashes(_ body: String) {
        #expect(throws: BulkResponse.Malformed.self) { try BulkResponse.parse(Array(body.utf8)) }
    }

    @Test func bulkItemsSplitActionAndDocument() async throws {
        let tracker = try await BatchTrackerProbe.tracker()
        let item = try #require(BulkItem(encoded: Array("{\"create\":{\"_index\":\"i\",\"_id\":\"x\"}}\n{\"a\":1}\n".utf8), tracker: tracker, position: 0))
        #expect(item.isCreate && item.hasID)
        #expect(String(decoding: item.action, as: UTF8.self) == #"{"create":{"_index":"i","_id":"x"}}"#)
        #expect(String(decoding: item.document, as: UTF8.self) == #"{"a":1}"#)
        #expect(BulkItem(encoded: Array("just one line\n".utf8), tracker: tracker, position: 0) == nil)
        let plain = try #require(BulkItem(encoded: Array("{\"index\":{\"_index\":\"i\"}}\n{\"_id\":1}".utf8), tracker: tracker, position: 0))
        #expect(!plain.isCreate && !plain.hasID && plain.lines.last == UInt8(ascii: "\n"))
    }

    @Test func concurrencyHalvesOnPushbackAndGrowsWhenClean() {
        let limiter = AdaptiveConcurrency(initial: 4, minimum: 1, maximum: 6)
        #expect((0..<5).map { _ in limiter.tryAcquire() } == [true, true, true, true, false])
        limiter.release(signal: .throttled, latency: .milliseconds(10), bytes: 1 << 20)
        #expect(limiter.snapshot.limit == 2 && limiter.snapshot.inFlight == 3)
        #expect(!limiter.tryAcquire())
        limiter.release(signal: .failed, latency: .milliseconds(10), bytes: 1 << 20)
        limiter.release(signal: .failed, latency: .milliseconds(10), bytes: 1 << 20)
        #expect(limiter.snapshot.limit == 1)
        limiter.release(signal: .clean, latency: .milliseconds(10), bytes: 1 << 20)
        for _ in 0..<10 {
            #expect(limiter.tryAcquire())
            limiter.release(signal: .clean, latency: .milliseconds(10), bytes: 1 << 20)
        }
        #expect(limiter.snapshot.limit == 6, "grows one step per clean response, up to the maximum")
        #expect(limiter.tryAcquire())
        limiter.release(signal: .clean, latency: .seconds(2), bytes: 1 << 20)
        #expect(limiter.snapshot.limit == 5, "a response far slower than the baseline shrinks the limit")
    }

    @Test func aReadyBodyWaitsForASlotAndACancelledWaiterTakesNone() async {
        let limiter = AdaptiveConcurrency(initial: 1, minimum: 1, maximum: 1)
        #expect(await limiter.acquire())
        let waiter = Task { await limiter.acquire() }
        let cancelled = Task { await limiter.acquire() }
        // Both wait behind the slot in use; one is cancelled while waiting.
        let deadline = ContinuousClock.now + .seconds(20)
        while limiter.waiting < 2 && ContinuousClock.now < deadline { await Task.yield() }
        #expect(limiter.waiting == 2)
        cancelled.cancel()
        #expect(await cancelled.value == false)
        #expect(!limiter.tryAcquire(), "the slot is still taken and the other request waits first")
        limiter.release(signal: .clean, latency: .milliseconds(1), bytes: 1 << 20)
        #expect(await waiter.value, "the released slot goes to the waiting request")
        #expect(limiter.snapshot.inFlight == 1 && limiter.waiting == 0)
    }

    @Test func bodyBuffersAreReusedWhenNoLongerShared() {
        let buffers = BodyBuffers(keep: 1)
        var body = buffers.take(capacity: 1 << 16)
        body.append(contentsOf: [1, 2, 3])
        let address = body.withUnsafeBufferPointer { $0.baseAddress }
        buffers.give(body)
        body = []
        let again = buffers.take(capacity: 1 << 10)
        #expect(again.isEmpty && again.capacity >= 1 << 16)
        #expect(again.withUnsafeBufferPointer { $0.baseAddress } == address)
        buffers.give([UInt8](repeating: 0, count: 8))
        buffers.give([UInt8](repeating: 0, count: 8))
        let kept = buffers.take(capacity: 0)
        #expect(kept.isEmpty, "only `keep` bodies are kept; the one taken comes back emptied")
    }

    @Test func hekasOutputExampleAndRunnelsOptionsValidate() throws {
        let config = try ESTestConfig.load("""
            [ESJsonEncoder]
            [ElasticSearchOutput]
            message_matcher = "Type == 'sync.log'"
            server = "http://es-server:9200"
            flush_interval = 5000
            flush_count = 10
            encoder = "ESJsonEncoder"
            http_timeout = 0
            [ElasticSearchOutput.tls]
            root_cafile = "/etc/ca.pem"
            min_version = "TLS12"
            """)
        let plugin = try #require(config.plugin(named: "ElasticSearchOutput"))
        guard case .output(let built) = try ElasticsearchOutput.registration.build(plugin, PluginBuildContext(global: config.global, hostname: "h")),
              let output = built as? ElasticsearchOutput else {
            Issue.record("not an ElasticsearchOutput")
            return
        }
        #expect(output.options.servers == ["http://es-server:9200"])
        #expect(output.options.flushInterval == .milliseconds(5000) && output.options.flushCount == 10)
        #expect(output.options.httpTimeout == nil && output.options.tls.caFile == "/etc/ca.pem")
        #expect(output.options.deadLetterPath.hasSuffix("/elasticsearch/ElasticSearchOutput.dead-letter.ndjson"))
        #expect(ESTestConfig.buildErrors("[o]\ntype = \"ElasticSearchOutput\"\nmessage_matcher = \"TRUE\"\nserver = \"unix:///tmp/es.sock\"", section: "o").first?.contains("http") == true)
        #expect(ESTestConfig.buildErrors("[o]\ntype = \"ElasticSearchOutput\"\nmessage_matcher = \"TRUE\"\nservers = [\"es:9200\"]", section: "o").first?.contains("expected") == true)
        #expect(ESTestConfig.buildErrors("[o]\ntype = \"ElasticSearchOutput\"\nmessage_matcher = \"TRUE\"\nflush_cont = 3", section: "o").first?.contains("flush_count") == true)
    }
}

/// A tracker over a one-message batch, for items that are only inspected.
enum BatchTrackerProbe {
    static func tracker() async throws -> BatchTracker {
        let queue = BatchQueue(capacityBytes: 1 << 20)
        let context = OutputContext(name: "probe", counters: PluginCounters(name: "probe"), logger: .init(label: "probe"),
                                    encoder: nil, useFraming: false, queue: queue)
        _ = await queue.push(RoutedBatch(messages: [Message()], origins: [0], acknowledgement: nil, byteSize: 100))
        return BatchTracker(batch: try #require(await context.next()))
    }
}

@Suite struct BulkResponseFastPathTests {
    @Test func allSucceededIsRecognisedOnlyWhenCertain() {
        let ok = #"{"took":3,"errors":false,"items":[{"index":{"_index":"a","_id":"1","status":201}},{"create":{"_index":"a","_id":"2","status":201}}]}"#
        #expect(BulkResponse.countIfAllSucceeded(Array(ok.utf8)) == 2)
        let failed = #"{"took":3,"errors":true,"items":[{"index":{"status":201}},{"create":{"status":409,"error":{"type":"x"}}}]}"#
        #expect(BulkResponse.countIfAllSucceeded(Array(failed.utf8)) == nil)
        let contradictory = #"{"errors":false,"items":[{"create":{"status":409,"error":{"type":"x"}}}]}"#
        #expect(BulkResponse.countIfAllSucceeded(Array(contradictory.utf8)) == nil)
        let pretty = "{\n  \"errors\" : false,\n  \"items\" : [ ]\n}"
        #expect(BulkResponse.countIfAllSucceeded(Array(pretty.utf8)) == nil, "other layouts take the full parse")
    }
}

@Suite struct WholeRequestErrorTests {
    @Test func onlyBodyErrorsSplitARequest() {
        #expect(BulkExchange.isContentError(Array(#"{"error":{"type":"x_content_parse_exception","reason":"bad"},"status":400}"#.utf8)))
        #expect(!BulkExchange.isContentError(Array(#"{"error":"no handler found for uri [/x/_bulk] and method [POST]","status":400}"#.utf8)))
        #expect(!BulkExchange.isContentError(Array("<html>Bad Request</html>".utf8)))
    }
}
