import Foundation
import Logging
import Synchronization
import Testing
@testable import RunnelCore

/// A buffered output inside a running `Agent`: an outage of the destination costs neither data
/// nor memory, and the inputs' acknowledgements do not wait for it.
@Suite struct BufferedAgentTests {
    typealias Scratch = DiskQueueScratch

    /// Delivers `total` numbered messages in batches, counting what settled, then idles until
    /// the agent stops it.
    struct NumberedInput: InputPlugin {
        let total: Int
        let batch: Int
        let settled: Counter

        func run(_ context: InputContext) async throws {
            for start in stride(from: 0, to: total, by: batch) {
                let settled = settled
                await context.deliver(Scratch.messages(start..<min(total, start + batch))) { outcome in
                    settled.add(outcome.delivered)
                }
            }
            try await Task.sleep(for: .seconds(3600))
        }
    }

    /// Fails (throws with batches in hand) while `failing` is set, then writes and confirms.
    struct FlakyOutput: OutputPlugin {
        let failing: Flag
        let received: NumberLog

        func run(_ context: OutputContext) async throws {
            while let batch = await context.next() {
                if failing.isSet {
                    try await Task.sleep(for: .milliseconds(5))
                    throw OutageError()
                }
                received.append(Scratch.numbers(batch.messages))
                batch.confirm()
            }
        }
    }

    struct OutageError: Error {}

    final class Counter: Sendable {
        private let value = Mutex(0)
        func add(_ amount: Int) { value.withLock { $0 += amount } }
        var current: Int { value.withLock { $0 } }
    }

    final class Flag: Sendable {
        private let value: Mutex<Bool>
        init(_ initial: Bool) { value = Mutex(initial) }
        var isSet: Bool { value.withLock { $0 } }
        func set(_ new: Bool) { value.withLock { $0 = new } }
    }

    static func config(_ name: String, _ category: PluginCategory) -> PluginInstanceConfig {
        PluginInstanceConfig(name: name, typeName: "Test", category: category, options: [:],
                             location: FileLocation(file: "test.toml", line: 1, column: 1))
    }

    @Test func anOutageOfABufferedOutputLosesNothingAndKeepsMemoryBounded() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let total = 10_000
        let memoryBytes = 64 * 1024
        let memoryBound = memoryBytes + DiskBuffer.deliveryCapacity(forQueueBytes: memoryBytes)
        var global = GlobalOptions()
        global.baseDir = scratch.path
        global.pluginQueueBytes = memoryBytes
        global.shutdownTimeout = .seconds(60)

        let settled = Counter()
        let failing = Flag(true)
        let received = NumberLog()
        let quickRetries = RetryPolicy(delay: .milliseconds(10), maxDelay: .milliseconds(40), maxJitter: .zero, maxRetries: -1)
        var plan = PipelinePlan()
        plan.inputs = [.init(config: Self.config("numbers", .input), plugin: NumberedInput(total: total, batch: 500, settled: settled),
                             splitter: { TokenSplitter(startOffset: $0) }, decoder: nil, sendDecodeFailures: false,
                             canExit: false, retries: quickRetries)]
        let buffering = DiskQueueSettings(maxFileSize: 64 * 1024, maxBufferSize: 0, fullAction: .block, cursorUpdateCount: 100)
        plan.outputs = [.init(config: Self.config("flaky", .output), plugin: FlakyOutput(failing: failing, received: received),
                              matcher: .matchAll, encoder: nil, useFraming: false, canExit: false, retries: quickRetries,
                              queue: .init(capacityBytes: nil, policy: .block), buffering: buffering)]
        let agent = try Agent(plan: plan, global: global, hostname: "test", logger: Logger(label: "test"))
        let running = Task { await agent.run() }
        let destination = try #require(agent.outputs.first)
        let buffer = try #require(destination.buffer)

        // During the outage every input batch settles (the disk has it), the disk holds the
        // backlog, and the memory queues stay within their bounds.
        var peakMemory = 0
        let outageEnds = ContinuousClock.now + .seconds(60)  // a bound for a loaded machine, not a pace
        while settled.current < total && ContinuousClock.now < outageEnds {
            peakMemory = max(peakMemory, destination.queue.depth.bytes + buffer.delivery.depth.bytes)
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(settled.current == total)
        #expect(received.all.isEmpty)
        #expect(destination.counters.snapshot.restarts > 0)
        let backlog = try #require(buffer.stats)
        #expect(backlog.unconfirmedBytes == Int64(total * Scratch.recordSize()))
        #expect(backlog.segments > 5)
        let status = try #require(agent.status().plugins.first { $0.name == "flaky" })
        #expect(status.diskQueue?.unconfirmedBytes == backlog.unconfirmedBytes)
        #expect(try #require(status.queueBytes) <= memoryBound)
        #expect(peakMemory <= memoryBound)

        failing.set(false)
        let recoveryEnds = ContinuousClock.now + .seconds(60)
        while Set(received.all).count < total && ContinuousClock.now < recoveryEnds {
            peakMemory = max(peakMemory, destination.queue.depth.bytes + buffer.delivery.depth.bytes)
            try await Task.sleep(for: .milliseconds(2))
        }
        agent.requestShutdown()
        #expect(await running.value == .completed)

        let numbers = received.all
        #expect(Set(numbers) == Set(0..<total))
        #expect(numbers.count == total)  // nothing was confirmed twice: failed runs confirmed nothing
        #expect(peakMemory <= memoryBound)
        #expect(destination.counters.snapshot.delivered == total)
        let files = try scratch.segmentFilesOf(buffersFolder: "flaky")
        #expect(files.count == 1)  // consumed segments were deleted
        let drained = try #require(buffer.stats)
        #expect(drained.unconfirmedBytes == 0)
        #expect(drained.savedCursor == drained.writeEnd)
    }

    @Test func bufferFoldersAreNamedAfterThePluginAndStayInsideBuffers() {
        #expect(Agent.bufferFolderName("es-out") == "es-out")
        #expect(Agent.bufferFolderName("a/b c") == "a%2Fb%20c")
        #expect(Agent.bufferFolderName("..") == "%2E%2E")
        #expect(Agent.bufferFolderName(".") == "%2E")
        #expect(Agent.bufferFolderName("") == "%")
        #expect(Agent.bufferFolderName("%") == "%25")
    }

    /// Delivers what the test feeds it, batch by batch, until the agent stops it.
    struct FedInput: InputPlugin {
        let feed: AsyncStream<Range<Int>>

        func run(_ context: InputContext) async throws {
            for await numbers in feed { await context.deliver(Scratch.messages(numbers)) }
            try await Task.sleep(for: .seconds(3600))
        }
    }

    /// Writes and confirms every batch into its log.
    struct CollectingOutput: OutputPlugin {
        let log: NumberLog

        func run(_ context: OutputContext) async throws {
            while let batch = await context.next() {
                log.append(Scratch.numbers(batch.messages))
                batch.confirm()
            }
        }
    }

    @Test func aReloadedBufferedOutputHandsItsQueueToItsReplacement() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var global = GlobalOptions()
        global.baseDir = scratch.path
        global.shutdownTimeout = .seconds(60)
        let (feed, feeder) = AsyncStream<Range<Int>>.makeStream()
        let input = PipelinePlan.InputPlan(config: Self.config("fed", .input), plugin: FedInput(feed: feed),
                                           splitter: { TokenSplitter(startOffset: $0) }, decoder: nil,
                                           sendDecodeFailures: false, canExit: false, retries: .heka)
        func plan(_ log: NumberLog, generation: Int64) -> PipelinePlan {
            var config = Self.config("out", .output)
            config.options["generation"] = .integer(generation)
            var plan = PipelinePlan()
            plan.inputs = [input]
            plan.outputs = [.init(config: config, plugin: CollectingOutput(log: log), matcher: .matchAll, encoder: nil,
                                  useFraming: false, canExit: false, retries: .heka, queue: .init(capacityBytes: nil, policy: .block),
                                  buffering: DiskQueueSettings())]
            return plan
        }
        let before = NumberLog()
        let after = NumberLog()
        let agent = try Agent(plan: plan(before, generation: 1), global: global, hostname: "test", logger: Logger(label: "test"))
        let running = Task { await agent.run() }
        for start in stride(from: 0, to: 1000, by: 100) { feeder.yield(start..<(start + 100)) }
        let deadline = ContinuousClock.now + .seconds(60)
        while before.all.count < 1000 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }

        let summary = await agent.reload(plan: plan(after, generation: 2), global: global)
        #expect(summary.started == ["out"] && summary.stopped == ["out"] && summary.kept == ["fed"])
        for start in stride(from: 1000, to: 2000, by: 100) { feeder.yield(start..<(start + 100)) }
        while after.all.count < 1000 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        agent.requestShutdown()
        #expect(await running.value == .completed)
        #expect(before.all == Array(0..<1000))
        #expect(after.all == Array(1000..<2000))
        #expect(DiskQueueFiles(folder: scratch.path + "/buffers/out").loadCursor()
            == DiskPosition(segment: 1, offset: Int64(2000 * Scratch.recordSize())))
    }
}

/// A shared, appendable list of numbers for test plugins.
final class NumberLog: Sendable {
    private let numbers = Mutex<[Int]>([])
    func append(_ more: [Int]) { numbers.withLock { $0 += more } }
    var all: [Int] { numbers.withLock { $0 } }
}

extension DiskQueueScratch {
    func segmentFilesOf(buffersFolder plugin: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path + "/buffers/" + plugin).filter { $0.hasSuffix(".log") }
    }
}
