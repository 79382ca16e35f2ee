import NIOCore
import RunnelCore
import Testing
@testable import RunnelPlugins

/// A consumer that stops taking batches must stop the TCP sender, not grow memory.
@Suite struct TcpInputBackpressureTests {
    @Test func blockedQueueStallsTheSenderAndLosesNothing() async throws {
        let queueBytes = 256 * 1024
        let harness = InputHarness(queueBytes: queueBytes)
        let input = try await TcpInputTests.start(harness)
        defer { Task { await input.stop() } }
        let client = try await TestClient.connect(port: input.port)

        // 64-byte lines, 1024 to a chunk; write whenever NIO says the socket takes more.
        var chunk: [UInt8] = []
        for index in 0..<1024 {
            let line = "record \(index) ".padding(toLength: 63, withPad: "x", startingAt: 0) + "\n"
            chunk += Array(line.utf8)
        }
        let chunkBuffer = ByteBuffer(bytes: chunk)
        var written = 0
        var lastProgress = ContinuousClock.now
        while ContinuousClock.now - lastProgress < .milliseconds(500) && written < 512 << 20 {
            if client.channel.isWritable {
                client.channel.writeAndFlush(chunkBuffer, promise: nil)
                written += chunk.count
                lastProgress = .now
            } else {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        // What the process read stays small: the queue's capacity, one waiting batch and NIO's few
        // read buffers. The rest of what the sender got rid of (tens of MB on loopback) sits in
        // the kernel's socket buffers, outside the process.
        let readSoFar = harness.ledger.snapshot.read
        #expect(readSoFar * 64 < 4 << 20, "the input kept reading: \(readSoFar) records")
        #expect(harness.queue.depth.bytes <= queueBytes + 1024 * 200)
        #expect(written < 512 << 20, "the sender was never held back")

        let expected = written / 64
        let messages = await harness.collect(expected, timeout: .seconds(60))
        #expect(messages.count == expected)
        #expect(harness.dropped.isEmpty)
        await client.close()
    }
}
