import NIOCore
import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite struct TcpOutputTests {
    static func output(port: Int, configure: (inout TcpOutput.Options) -> Void = { _ in }) -> TcpOutput {
        var options = TcpOutput.Options(address: HostAndPort(host: "127.0.0.1", port: port))
        options.reconnect = RetryPolicy(delay: .milliseconds(20), maxDelay: .milliseconds(200), maxJitter: .milliseconds(20), maxRetries: -1)
        configure(&options)
        return TcpOutput(options: options)
    }

    @Test func sendsHekaFramedProtobufByDefaultAndConfirms() async throws {
        let server = try await RawTestServer.start()
        let harness = OutputHarness()
        let running = RunningOutput(Self.output(port: server.port), context: harness.context)
        defer { Task { await running.stop(); await server.stop() } }
        let sent = numberedMessages(0..<30)
        for start in stride(from: 0, to: 30, by: 10) { await harness.push(Array(sent[start..<start + 10])) }
        #expect(await harness.waitForSettled(30))
        #expect(harness.deliveredMessages == 30)
        #expect(await server.wait { $0.messages.count == 30 })
        #expect(server.messages == sent)
        #expect(harness.counters.snapshot.delivered == 30)
    }

    @Test func otherEncodersAreNotFramedUnlessAsked() async throws {
        let server = try await RawTestServer.start()
        let harness = OutputHarness(encoder: PayloadEncoder())
        let running = RunningOutput(Self.output(port: server.port), context: harness.context)
        defer { Task { await running.stop(); await server.stop() } }
        await harness.push(numberedMessages(0..<3))
        #expect(await harness.waitForSettled(3))
        #expect(await server.wait { $0.totalBytes == 30 })
        #expect(server.receivedBytes.first == Array("message 0\nmessage 1\nmessage 2\n".utf8))

        let framedServer = try await RawTestServer.start()
        let framedHarness = OutputHarness(encoder: PayloadEncoder())
        let framed = RunningOutput(Self.output(port: framedServer.port) { $0.useFraming = true }, context: framedHarness.context)
        defer { Task { await framed.stop(); await framedServer.stop() } }
        await framedHarness.push(numberedMessages(0..<2))
        #expect(await framedHarness.waitForSettled(2))
        var reader = HekaStreamReader()
        #expect(await framedServer.wait { $0.totalBytes > 0 })
        reader.append(framedServer.receivedBytes[0])
        guard case .frame(let frame)? = reader.next() else { Issue.record("no frame"); return }
        #expect(frame.messageBytes == Array("message 0\n".utf8))
    }

    @Test func refusedMessagesAreDroppedAndCountedTheRestDelivered() async throws {
        struct RefuseOdd: Encoder {
            func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
                guard let pid = message.pid, pid % 2 == 0 else { throw EncodeFailure("odd") }
                buffer += Array("\(pid)\n".utf8)
            }
        }
        let server = try await RawTestServer.start()
        let harness = OutputHarness(encoder: RefuseOdd())
        let running = RunningOutput(Self.output(port: server.port), context: harness.context)
        defer { Task { await running.stop(); await server.stop() } }
        await harness.push(numberedMessages(0..<4))
        await harness.push(numberedMessages(5..<6))  // nothing left to send
        #expect(await harness.waitForSettled(5))
        #expect(harness.counters.snapshot.dropped == ["encode_failed": 3])
        #expect(harness.deliveredMessages == 2)
        #expect(await server.wait { $0.totalBytes == 4 })
        #expect(server.receivedBytes.first == Array("0\n2\n".utf8))
    }

    @Test func waitsForTheListenerWithBackoffThenDelivers() async throws {
        let placeholder = try await RawTestServer.startOnStablePort()
        let port = placeholder.port
        await placeholder.stop()
        let harness = OutputHarness()
        let running = RunningOutput(Self.output(port: port), context: harness.context)
        defer { Task { await running.stop() } }
        await harness.push(numberedMessages(0..<5))
        try await Task.sleep(for: .milliseconds(300))
        #expect(harness.settled.isEmpty)  // nobody to deliver to: nothing confirmed
        let server = try await RawTestServer.start(port: port)
        defer { Task { await server.stop() } }
        #expect(await harness.waitForSettled(5))
        #expect(await server.wait { $0.messages.count == 5 })
        #expect(server.connectionCount == 1)
    }

    @Test func batchesStayUnconfirmedUntilThePeersTCPAcknowledgesThem() async throws {
        let server = try await RawTestServer.start(reading: false, receiveBufferBytes: 4096)
        let harness = OutputHarness()
        let running = RunningOutput(Self.output(port: server.port), context: harness.context)
        defer { Task { await running.stop(); await server.stop() } }
        // 4 MB in 64 batches: far more than the paused peer's receive buffer holds.
        let messages = numberedMessages(0..<4096, payloadBytes: 1000)
        for start in stride(from: 0, to: messages.count, by: 64) { await harness.push(Array(messages[start..<start + 64])) }
        try await Task.sleep(for: .milliseconds(500))
        let confirmedWhilePaused = harness.deliveredMessages
        // At most what the peer's small receive buffer (the kernel may round it up) could hold.
        #expect(confirmedWhilePaused * 1030 < 512 * 1024)
        await server.resumeReading()
        #expect(await harness.waitForSettled(4096, timeout: .seconds(30)))
        #expect(await server.wait { $0.messages.count == 4096 })
        #expect(server.messages.map(\.pid) == messages.map(\.pid))
    }

    @Test func reconnectAfterOpensNewConnectionsAndLosesNothing() async throws {
        let server = try await RawTestServer.start()
        let harness = OutputHarness()
        let running = RunningOutput(Self.output(port: server.port) { $0.reconnectAfter = 10 }, context: harness.context)
        defer { Task { await running.stop(); await server.stop() } }
        let sent = numberedMessages(0..<50)
        for start in stride(from: 0, to: 50, by: 5) { await harness.push(Array(sent[start..<start + 5])) }
        #expect(await harness.waitForSettled(50))
        #expect(await server.wait { $0.messages.count == 50 })
        #expect(server.messages == sent)
        #expect(server.connectionCount >= 5)
    }

    @Test func finishesOnceTheQueueIsClosedAndEverythingConfirmed() async throws {
        let server = try await RawTestServer.start()
        defer { Task { await server.stop() } }
        let harness = OutputHarness()
        let running = RunningOutput(Self.output(port: server.port), context: harness.context)
        await harness.push(numberedMessages(0..<10))
        harness.queue.close()
        try await running.task.value
        #expect(harness.deliveredMessages == 10)
    }

    /// `tcp_ack`: what the dead peer's TCP never acknowledged is sent again to its successor.
    @Test func unacknowledgedBatchesGoToTheRestartedListener() async throws {
        let first = try await RawTestServer.startOnStablePort(reading: false, receiveBufferBytes: 4096)
        let port = first.port
        let harness = OutputHarness()
        let running = RunningOutput(Self.output(port: port), context: harness.context)
        defer { Task { await running.stop() } }
        let sent = numberedMessages(0..<200, payloadBytes: 1000)
        for start in stride(from: 0, to: 200, by: 10) { await harness.push(Array(sent[start..<start + 10])) }
        try await Task.sleep(for: .milliseconds(300))
        let confirmedAtKill = harness.deliveredMessages  // batches settle in order: the first ones
        #expect(confirmedAtKill < 50)
        await first.stop()

        let second = try await RawTestServer.start(port: port)
        defer { Task { await second.stop() } }
        #expect(await harness.waitForSettled(200))
        #expect(await second.wait { Set($0.messages.compactMap(\.pid)).isSuperset(of: sent[confirmedAtKill...].compactMap(\.pid)) })
    }
}
