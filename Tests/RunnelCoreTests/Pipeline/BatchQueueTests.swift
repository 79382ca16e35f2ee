import Synchronization
import Testing
@testable import RunnelCore

@Suite struct BatchQueueTests {
    static func batch(_ bytes: Int, tag: Int = 0) -> RoutedBatch {
        RoutedBatch(messages: [Message(timestamp: Int64(tag))], origins: [0], acknowledgement: nil, byteSize: bytes)
    }

    @Test func deliversInOrderAndTracksBytes() async {
        let queue = BatchQueue(capacityBytes: 1000)
        for tag in 0..<5 { #expect(await queue.push(Self.batch(100, tag: tag)) == .accepted) }
        #expect(queue.depth.bytes == 500)
        #expect(queue.depth.batches == 5)
        for tag in 0..<5 { #expect(await queue.pop()?.messages[0].timestamp == Int64(tag)) }
        #expect(queue.depth.bytes == 0)
    }

    @Test func dropPolicyRefusesWhenFull() async {
        let queue = BatchQueue(capacityBytes: 250, policy: .drop)
        #expect(await queue.push(Self.batch(100)) == .accepted)
        #expect(await queue.push(Self.batch(100)) == .accepted)
        #expect(await queue.push(Self.batch(100)) == .full)
        _ = await queue.pop()
        #expect(await queue.push(Self.batch(100)) == .accepted)
    }

    @Test func oversizedBatchIsAcceptedIntoAnEmptyQueue() async {
        let queue = BatchQueue(capacityBytes: 10, policy: .drop)
        #expect(await queue.push(Self.batch(1000)) == .accepted)
        #expect(await queue.push(Self.batch(1)) == .full)
    }

    @Test func blockPolicyWaitsForRoomAndLosesNothing() async {
        let queue = BatchQueue(capacityBytes: 300, policy: .block)
        let total = 200
        async let produced: Void = {
            for tag in 0..<total { #expect(await queue.push(Self.batch(100, tag: tag)) == .accepted) }
            queue.close()
        }()
        var seen: [Int64] = []
        var peak = 0
        while let batch = await queue.pop() {
            peak = max(peak, queue.depth.bytes)
            seen.append(batch.messages[0].timestamp)
            if seen.count % 7 == 0 { await Task.yield() }
        }
        await produced
        #expect(seen == (0..<Int64(total)).map { $0 })
        #expect(peak <= 300)
    }

    @Test func closeWakesWaitingConsumerAndRefusesProducers() async {
        let queue = BatchQueue(capacityBytes: 100)
        async let popped = queue.pop()
        try? await Task.sleep(for: .milliseconds(20))
        queue.close()
        #expect(await popped == nil)
        #expect(await queue.push(Self.batch(1)) == .closed)
    }

    @Test func closeDrainsWhatIsQueued() async {
        let queue = BatchQueue(capacityBytes: 1000)
        _ = await queue.push(Self.batch(10, tag: 1))
        queue.close()
        #expect(await queue.pop()?.messages[0].timestamp == 1)
        #expect(await queue.pop() == nil)
    }
}

@Suite struct BatchAcknowledgementTests {
    final class Outcomes: Sendable {
        let list = Mutex<[BatchOutcome]>([])
        var all: [BatchOutcome] { list.withLock { $0 } }
    }

    @Test func settlesOnceAfterEveryHolderReleased() {
        let outcomes = Outcomes()
        let ack = BatchAcknowledgement(messageCount: 4) { outcome in outcomes.list.withLock { $0.append(outcome) } }
        ack.retain()
        ack.retain()
        ack.noteUnmatched(1)
        ack.release()  // the router's own reference
        #expect(outcomes.all.isEmpty)
        ack.noteDropped([2], reason: "queue_full")
        ack.release()
        #expect(outcomes.all.isEmpty)
        ack.noteDropped([2, 3], reason: "shutdown")  // 2 already counted under its first reason
        ack.release()
        #expect(outcomes.all == [BatchOutcome(messages: 4, delivered: 1, unmatched: 1,
                                              dropped: ["queue_full": 1, "shutdown": 1])])
    }
}

@Suite struct BatchQueueTimeoutTests {
    @Test func popTimesOutWithoutLosingALaterBatch() async {
        let queue = BatchQueue(capacityBytes: 1000)
        #expect(await queue.pop(timeout: .milliseconds(20)) == nil)
        // The expired waiter must not swallow the next batch.
        _ = await queue.push(BatchQueueTests.batch(10, tag: 9))
        #expect(await queue.pop(timeout: .milliseconds(20))?.messages[0].timestamp == 9)
    }

    @Test func popWithTimeoutReturnsABatchThatArrivesInTime() async {
        let queue = BatchQueue(capacityBytes: 1000)
        async let waited = queue.pop(timeout: .seconds(5))
        try? await Task.sleep(for: .milliseconds(20))
        _ = await queue.push(BatchQueueTests.batch(10, tag: 3))
        #expect(await waited?.messages[0].timestamp == 3)
    }
}

@Suite struct BatchQueueCancellationTests {
    @Test func aProducerWaitingForRoomCanBeCancelled() async {
        let queue = BatchQueue(capacityBytes: 100)
        #expect(await queue.push(BatchQueueTests.batch(100, tag: 1)) == .accepted)
        let blocked = Task { await queue.push(BatchQueueTests.batch(100, tag: 2)) }
        try? await Task.sleep(for: .milliseconds(50))
        blocked.cancel()
        #expect(await blocked.value == .cancelled)
        #expect(queue.depth.batches == 1)
        #expect(await queue.pop()?.messages[0].timestamp == 1)
        // The cancelled batch was not admitted later either.
        #expect(queue.tryPop() == nil)
    }

    @Test func anInputBatchRefusedAtShutdownStaysUnsettled() async throws {
        let queue = BatchQueue(capacityBytes: 1 << 20)
        queue.close()
        let router = Router(routes: [Route(name: "gone", matcher: .matchAll, queue: queue, counters: PluginCounters(name: "gone"))])
        let settled = RouterTests.Settled()
        let ack = BatchAcknowledgement(messageCount: 4) { outcome in settled.outcomes.withLock { $0.append(outcome) } }
        await router.route(RouterTests.messages(), acknowledgement: ack)
        // Neither delivered nor dropped: the input's checkpoint must not pass these messages.
        #expect(settled.outcomes.withLock { $0.isEmpty })
    }
}
