import NIOCore
import Synchronization
import RunnelCore
import Testing
@testable import RunnelPlugins

/// A consumer that stops taking batches must stop the TCP sender, not grow memory.
@Suite struct TcpInputBackpressureTests {
    @Test func blockedQueueStallsTheSenderAndLosesNothing() async throws {
        let queueBytes = 256 * 1024
        let harness = InputHarness(queueBytes: queueBytes)
        let input = try await TcpInputTests.start(harness, configure: { $0.listener.receiveBufferBytes = 256 * 1024 })
        defer { Task { await input.stop() } }
        let client = try await TestClient.connect(port: input.port)

        // 1 KiB lines, 64 to a chunk.
        let lineBytes = 1024
        var chunk: [UInt8] = []
        for index in 0..<64 {
            let line = "record \(index) ".padding(toLength: lineBytes - 1, withPad: "x", startingAt: 0) + "\n"
            chunk += Array(line.utf8)
        }
        let chunkBuffer = ByteBuffer(bytes: chunk)
        // Count only writes the kernel took (their futures completed); stop once one has waited
        // half a second: the sender is blocked.
        var written = 0
        var stalled = false
        while !stalled && written < 256 << 20 {
            let accepted = Mutex(false)
            client.channel.writeAndFlush(chunkBuffer).whenSuccess { accepted.withLock { $0 = true } }
            let deadline = ContinuousClock.now + .milliseconds(500)
            while !accepted.withLock({ $0 }) && !stalled {
                try await Task.sleep(for: .milliseconds(1))
                stalled = ContinuousClock.now > deadline
            }
            if !stalled { written += chunk.count }
        }
        #expect(stalled, "the sender was never held back")
        // What the process read stays small: the queue's capacity, one waiting batch and NIO's few
        // read buffers.
        let readSoFar = harness.ledger.snapshot.read
        #expect(readSoFar * lineBytes < 8 << 20, "the input kept reading: \(readSoFar) records")
        #expect(harness.queue.depth.bytes <= queueBytes + 1024 * (lineBytes + 200))
        // The rest sits in the kernel's socket buffers, outside the process: the sender's, and the
        // receiver's (receive_buffer_size here; autotuning on loopback lets it hold far more).
        #expect(written < 16 << 20, "\(written) bytes were taken before the sender blocked")

        let expected = written / lineBytes + 64  // and the write that was waiting
        let messages = await harness.collect(expected, timeout: .seconds(60))
        #expect(messages.count == expected)
        #expect(harness.dropped.isEmpty)
        await client.close()
    }
}
