import Foundation
import Logging
import Synchronization
import Testing
@testable import RunnelCore

/// The disk queue between an intake and a delivery queue, as the runtime runs it.
@Suite struct DiskBufferTests {
    typealias Scratch = DiskQueueScratch

    /// Outcomes of the input batches a test pushed, as the input would see them.
    final class Outcomes: Sendable {
        private let outcomes = Mutex<[Int: BatchOutcome]>([:])
        func record(_ id: Int, _ outcome: BatchOutcome) { outcomes.withLock { $0[id] = outcome } }
        var all: [Int: BatchOutcome] { outcomes.withLock { $0 } }
        var settledMessages: Int { all.values.reduce(0) { $0 + $1.messages } }
    }

    final class Alarms: Sendable {
        private let alarms = Mutex<[DiskBuffer.Alarm]>([])
        func record(_ alarm: DiskBuffer.Alarm) { alarms.withLock { $0.append(alarm) } }
        var all: [DiskBuffer.Alarm] { alarms.withLock { $0 } }
    }

    struct Rig {
        /// How long a test waits for what must happen. Generous: an fdatasync can take seconds
        /// while other tests write large files (ext4 commits their data with ours); a quiet
        /// machine passes these tests in well under a second.
        static let patience: Duration = .seconds(60)

        let scratch: Scratch
        let intake: BatchQueue
        let buffer: DiskBuffer
        let counters: PluginCounters
        let outcomes = Outcomes()
        let alarms = Alarms()

        init(scratch: Scratch, settings: DiskQueueSettings = DiskQueueSettings(), memoryBytes: Int = 1 << 20,
             handOverGrace: Duration = .seconds(5)) {
            self.scratch = scratch
            intake = BatchQueue(capacityBytes: memoryBytes)
            counters = PluginCounters(name: "out")
            let alarms = alarms
            buffer = DiskBuffer(name: "out", folder: scratch.queueFolder, settings: settings, intake: intake,
                                deliveryCapacityBytes: memoryBytes, counters: counters, logger: Logger(label: "test"),
                                retries: RetryPolicy(delay: .milliseconds(10), maxDelay: .milliseconds(50), maxJitter: .zero, maxRetries: 3),
                                handOverGrace: handOverGrace, deliveryBatchMessages: 10) { alarms.record($0) }
        }

        /// Pushes messages `numbers` as one input batch (id = its first number).
        func push(_ numbers: Range<Int>) async -> BatchQueue.PushResult {
            let messages = Scratch.messages(numbers)
            let outcomes = outcomes
            let id = numbers.lowerBound
            let acknowledgement = BatchAcknowledgement(messageCount: messages.count) { outcomes.record(id, $0) }
            acknowledgement.retain()
            let batch = RoutedBatch(messages: messages, origins: Array(messages.indices), acknowledgement: acknowledgement,
                                    byteSize: messages.reduce(0) { $0 + $1.estimatedByteSize })
            let result = await intake.push(batch)
            acknowledgement.release()  // the router's own reference
            return result
        }

        /// Takes delivered batches until `count` messages arrived or `timeout` passed.
        func take(_ count: Int, confirm: Bool = true, timeout: Duration = Rig.patience) async -> [Int] {
            var numbers: [Int] = []
            let deadline = ContinuousClock.now + timeout
            while numbers.count < count, ContinuousClock.now < deadline {
                guard let batch = await buffer.delivery.pop(timeout: .milliseconds(50)) else { continue }
                numbers += Scratch.numbers(batch.messages)
                if confirm { batch.confirm() }
            }
            return numbers
        }
    }

    static func waitUntil(_ timeout: Duration = Rig.patience, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    @Test func inputBatchesSettleOnceDurableAndThePluginGetsThemInOrder() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rig = Rig(scratch: scratch)
        let running = Task { await rig.buffer.run() }
        for start in stride(from: 0, to: 300, by: 30) {
            #expect(await rig.push(start..<(start + 30)) == .accepted)
        }
        // Settled as delivered before the plugin took anything: the records are on disk.
        #expect(await Self.waitUntil { rig.outcomes.settledMessages == 300 })
        #expect(rig.outcomes.all.values.allSatisfy { $0.delivered == $0.messages })
        #expect(rig.buffer.stats?.unconfirmedBytes == Int64(300 * Scratch.recordSize()))

        #expect(await rig.take(300) == Array(0..<300))
        rig.intake.close()
        await running.value  // the intake closed and everything on disk was delivered
        let cursor = DiskQueueFiles(folder: scratch.queueFolder).loadCursor()
        #expect(cursor == DiskPosition(segment: 1, offset: Int64(300 * Scratch.recordSize())))
    }

    @Test func whatThePluginDidNotConfirmIsDeliveredAgainAfterARestart() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = Rig(scratch: scratch)
        let running = Task { await first.buffer.run() }
        for start in stride(from: 0, to: 100, by: 10) { _ = await first.push(start..<(start + 10)) }
        #expect(await first.take(40) == Array(0..<40))
        #expect(await first.take(20, confirm: false) == Array(40..<60))
        first.intake.close()
        first.buffer.consumerFinished()  // the plugin stops, holding 40..<60 unconfirmed
        await running.value

        let second = Rig(scratch: scratch)
        let again = Task { await second.buffer.run() }
        #expect(await second.take(60) == Array(40..<100))
        second.intake.close()
        await again.value
    }

    @Test func fullActionDropCountsTheBatchesThatDoNotFitAndSettlesThemAsDropped() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let record = Scratch.recordSize()
        let rig = Rig(scratch: scratch, settings: DiskQueueSettings(maxBufferSize: record * 40, fullAction: .drop))
        let running = Task { await rig.buffer.run() }
        for start in stride(from: 0, to: 100, by: 10) { #expect(await rig.push(start..<(start + 10)) == .accepted) }
        #expect(await Self.waitUntil { rig.outcomes.settledMessages == 100 })
        #expect(rig.counters.snapshot.dropped == ["buffer_full": 60])
        #expect(rig.outcomes.all.values.filter { $0.dropped == ["buffer_full": 10] }.count == 6)
        #expect(try #require(rig.buffer.stats).bytesOnDisk <= Int64(record * 40))
        #expect(await rig.take(40) == Array(0..<40))
        rig.intake.close()
        await running.value
    }

    @Test func fullActionBlockHoldsTheProducerBackUntilThePluginConsumesAndLosesNothing() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let record = Scratch.recordSize()
        let batchBytes = Scratch.messages(0..<10).reduce(0) { $0 + $1.estimatedByteSize }
        let rig = Rig(scratch: scratch, settings: DiskQueueSettings(maxBufferSize: record * 40, fullAction: .block),
                      memoryBytes: batchBytes * 2)
        let running = Task { await rig.buffer.run() }
        let producer = Task {
            for start in stride(from: 0, to: 200, by: 10) { _ = await rig.push(start..<(start + 10)) }
        }
        // The disk fills to its bound and the intake behind it, then the producer waits.
        #expect(await Self.waitUntil { rig.outcomes.settledMessages == 40 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(rig.outcomes.settledMessages == 40)
        #expect(try #require(rig.buffer.stats).bytesOnDisk <= Int64(record * 40))
        #expect(rig.intake.depth.bytes <= batchBytes * 2)

        #expect(await rig.take(200) == Array(0..<200))
        await producer.value
        #expect(rig.outcomes.settledMessages == 200)
        #expect(rig.counters.snapshot.dropped.isEmpty)
        rig.intake.close()
        await running.value
    }

    @Test func fullActionShutdownRaisesTheAlarmAndAcknowledgesNothingMore() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let record = Scratch.recordSize()
        let rig = Rig(scratch: scratch, settings: DiskQueueSettings(maxBufferSize: record * 40, fullAction: .shutdown))
        let running = Task { await rig.buffer.run() }
        for start in stride(from: 0, to: 100, by: 10) { _ = await rig.push(start..<(start + 10)) }
        #expect(await Self.waitUntil { rig.alarms.all == [.full] })
        try await Task.sleep(for: .milliseconds(50))
        #expect(rig.outcomes.settledMessages == 40)  // the rest is read again by the inputs after the restart
        #expect(rig.counters.snapshot.dropped.isEmpty)
        rig.intake.close()
        rig.buffer.consumerFinished()
        await running.value
    }

    @Test func aDamagedRecordIsCountedOnThePluginAndTheRestDelivered() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let queue = try scratch.open()
        try queue.append([DiskRecordBatch(Scratch.messages(0..<10))])
        queue.close()
        try FileHandle.flipByte(at: 4 * Scratch.recordSize() + 20, in: scratch.queueFolder + "/0000000001.log")

        let rig = Rig(scratch: scratch)
        let running = Task { await rig.buffer.run() }
        #expect(await rig.take(9) == [0, 1, 2, 3, 5, 6, 7, 8, 9])
        #expect(rig.counters.snapshot.dropped == ["corrupt_record": 1])
        rig.intake.close()
        await running.value
        #expect(DiskQueueFiles(folder: scratch.queueFolder).loadCursor() == DiskPosition(segment: 1, offset: Int64(10 * Scratch.recordSize())))
    }

    @Test func aReplacementWaitsForTheHandOverAndReadsOnFromTheCursor() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let old = Rig(scratch: scratch, handOverGrace: .milliseconds(200))
        let oldRunning = Task { await old.buffer.run() }
        for start in stride(from: 0, to: 50, by: 10) { _ = await old.push(start..<(start + 10)) }
        #expect(await old.take(20) == Array(0..<20))
        #expect(await old.take(10, confirm: false) == Array(20..<30))  // held by a plugin that is stuck

        let replacement = Rig(scratch: scratch)
        let newRunning = Task { await replacement.buffer.run() }
        old.intake.close()
        await oldRunning.value  // the old one stopped reading and gave up on 20..<30 after the grace
        _ = await replacement.push(50..<60)
        #expect(await replacement.take(40) == Array(20..<60))
        replacement.intake.close()
        await newRunning.value
    }
}
