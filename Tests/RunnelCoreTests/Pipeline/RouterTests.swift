import Synchronization
import Testing
@testable import RunnelCore

@Suite struct RouterTests {
    final class Settled: Sendable {
        let outcomes = Mutex<[BatchOutcome]>([])
    }

    static func messages() -> [Message] {
        [Message(type: "a", fields: [.string("MARATHON_APP_ID", "/web/api")]),
         Message(type: "b"),
         Message(type: "a", fields: [.string("MARATHON_APP_ID", "/batch")]),
         Message(type: "c")]
    }

    @Test func sendsEachMessageToEveryMatchingDestinationAndSettlesOnConfirm() async throws {
        let webQueue = BatchQueue(capacityBytes: 1 << 20)
        let typeAQueue = BatchQueue(capacityBytes: 1 << 20)
        let web = Route(name: "web", matcher: try MessageMatcher("Fields[MARATHON_APP_ID] =~ /^\\/web/"),
                        queue: webQueue, counters: PluginCounters(name: "web"))
        let typeA = Route(name: "a", matcher: try MessageMatcher("Type == 'a'"),
                          queue: typeAQueue, counters: PluginCounters(name: "a"))
        let router = Router(routes: [web, typeA])
        let settled = Settled()
        let ack = BatchAcknowledgement(messageCount: 4) { outcome in settled.outcomes.withLock { $0.append(outcome) } }
        await router.route(Self.messages(), acknowledgement: ack)

        let toWeb = try #require(webQueue.tryPop())
        let toA = try #require(typeAQueue.tryPop())
        #expect(toWeb.origins == [0])
        #expect(toA.origins == [0, 2])
        #expect(typeA.counters.snapshot.matched == 2)
        #expect(settled.outcomes.withLock { $0.isEmpty })
        toWeb.confirm()
        toA.confirm()
        #expect(settled.outcomes.withLock { $0 } == [BatchOutcome(messages: 4, delivered: 2, unmatched: 2, dropped: [:])])
    }

    @Test func unmatchedBatchSettlesAtOnce() async throws {
        let queue = BatchQueue(capacityBytes: 1 << 20)
        let router = Router(routes: [Route(name: "none", matcher: try MessageMatcher("FALSE"), queue: queue,
                                           counters: PluginCounters(name: "none"))])
        let settled = Settled()
        let ack = BatchAcknowledgement(messageCount: 4) { outcome in settled.outcomes.withLock { $0.append(outcome) } }
        await router.route(Self.messages(), acknowledgement: ack)
        #expect(settled.outcomes.withLock { $0 } == [BatchOutcome(messages: 4, delivered: 0, unmatched: 4, dropped: [:])])
        #expect(queue.depth.batches == 0)
    }

    @Test func fullDropQueueCountsDropsPerDestination() async throws {
        let queue = BatchQueue(capacityBytes: 1, policy: .drop)
        let counters = PluginCounters(name: "slow")
        let router = Router(routes: [Route(name: "slow", matcher: .matchAll, queue: queue, counters: counters)])
        let settled = Settled()
        for _ in 0..<3 {
            let ack = BatchAcknowledgement(messageCount: 4) { outcome in settled.outcomes.withLock { $0.append(outcome) } }
            await router.route(Self.messages(), acknowledgement: ack)
        }
        // A 1-byte queue takes one message at a time: the first message of the first batch is
        // queued, every other message is dropped.
        #expect(counters.snapshot.dropped == ["queue_full": 11])
        #expect(settled.outcomes.withLock { $0.count } == 2)  // the first batch is still queued
        queue.tryPop()?.confirm()
        let outcomes = settled.outcomes.withLock { $0 }
        #expect(outcomes.count == 3)
        #expect(outcomes.map(\.droppedTotal).sorted() == [3, 4, 4])
        #expect(outcomes.map(\.delivered).sorted() == [0, 0, 1])
    }
}

@Suite struct RouterPartitionTests {
    @Test func batchesLargerThanHalfTheQueueAreSentInPartsThatKeepTheBound() async throws {
        let queue = BatchQueue(capacityBytes: 4096)
        let router = Router(routes: [Route(name: "all", matcher: .matchAll, queue: queue, counters: PluginCounters(name: "all"))])
        let messages = (0..<100).map { Message(timestamp: Int64($0), payload: "some payload bytes") }
        async let routed: Void = router.route(messages, acknowledgement: nil)
        var received: [Int64] = []
        var peak = 0
        while received.count < messages.count {
            guard let part = await queue.pop(timeout: .seconds(5)) else { break }
            #expect(part.byteSize <= 2048)
            peak = max(peak, queue.depth.bytes)
            received += part.messages.map(\.timestamp)
        }
        await routed
        #expect(received == (0..<100).map { Int64($0) })
        #expect(peak <= 4096)
    }
}
