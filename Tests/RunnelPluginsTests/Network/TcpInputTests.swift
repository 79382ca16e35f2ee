import Foundation
import NIOCore
import RunnelCore
import RunnelTestSupport
import Testing
@testable import RunnelPlugins

@Suite struct TcpInputTests {
    static func start(_ harness: InputHarness, splitter: @escaping SplitterFactory = lineSplitter, port: Int = 0,
                      configure: (inout TcpInput.Options) -> Void = { _ in }) async throws -> RunningInput {
        try await RunningInput({ onListening in
            var options = TcpInput.Options(address: HostAndPort(host: "127.0.0.1", port: port))
            options.listener.onListening = onListening
            configure(&options)
            return TcpInput(options: options)
        }, context: harness.context(splitter: splitter))
    }

    /// Starts on a port from `LoopbackPort.stableRange`, for tests that stop an input and use its
    /// port again (why: see there). Binding is tried directly, so nothing can take the port between
    /// a probe and the start.
    static func startOnStablePort(_ harness: InputHarness, splitter: @escaping SplitterFactory = lineSplitter) async throws -> RunningInput {
        var lastError: any Error = InputEndedBeforeListening()
        for _ in 0..<50 {
            do {
                return try await start(harness, splitter: splitter, port: Int.random(in: LoopbackPort.stableRange))
            } catch {
                lastError = error  // taken: try another
            }
        }
        throw lastError
    }

    @Test func linesBecomeMessagesNamedForTheInputAndPeer() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness)
        defer { Task { await input.stop() } }
        let client = try await TestClient.connect(port: input.port)
        try await client.send("hello\nworld\r\n")
        let messages = await harness.collect(2)
        #expect(payloads(messages) == ["hello", "world"])
        let localPort = try #require(client.channel.localAddress?.port)
        #expect(messages.first?.type == "tcp_in")
        #expect(messages.first?.hostname == "127.0.0.1")
        #expect(messages.first?.logger == ByteString("127.0.0.1:\(localPort)"))
        await client.close()
    }

    @Test func everyChunkBoundaryInsideARecordIsJoined() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness)
        defer { Task { await input.stop() } }
        let text = Array("alpha\nbe\nγδ\n".utf8)
        for cut in 1..<text.count {
            let client = try await TestClient.connect(port: input.port)
            try await client.send(Array(text[..<cut]))
            try await Task.sleep(for: .milliseconds(2))  // separate reads on the server, most of the time
            try await client.send(Array(text[cut...]))
            await client.close()
        }
        let messages = await harness.collect(3 * (text.count - 1))
        #expect(messages.count == 3 * (text.count - 1))
        // Every record arrives whole, however its bytes were cut: each connection gave the three.
        // (Grouping by the peer's address does not tell the connections apart: on loopback a
        // later connection may reuse the client port of a closed one.)
        let counts = Dictionary(grouping: payloads(messages), by: { $0 }).mapValues(\.count)
        #expect(counts == ["alpha": text.count - 1, "be": text.count - 1, "γδ": text.count - 1])
        // A connection's records arrive in order.
        for group in Dictionary(grouping: messages, by: { $0.logger?.string ?? "" }).values where group.count == 3 {
            #expect(payloads(group) == ["alpha", "be", "γδ"])
        }
        #expect(harness.dropped.isEmpty)
    }

    @Test func defaultSplitterReadsHekaFramesAndSkipsGarbage() async throws {
        let harness = InputHarness()
        let plugin = TcpInput(options: TcpInput.Options(address: HostAndPort(host: "127.0.0.1", port: 0)))
        let input = try await Self.start(harness, splitter: plugin.defaultSplitter(limits: SplitterLimits()))
        defer { Task { await input.stop() } }
        var stream: [UInt8] = []
        let sent = (0..<20).map { Message(timestamp: Int64($0), type: "framed", payload: ByteString("m\($0)"), pid: Int32($0)) }
        for (index, message) in sent.enumerated() {
            HekaFraming.appendFrame(message, to: &stream)
            if index % 5 == 4 { stream += Array("garbage \u{1E}\u{02}xx between frames".utf8) }
        }
        let client = try await TestClient.connect(port: input.port)
        // Odd-sized chunks, so frames and garbage straddle reads.
        var offset = 0
        while offset < stream.count {
            let end = min(stream.count, offset + 37)
            try await client.send(Array(stream[offset..<end]))
            offset = end
        }
        let messages = await harness.collect(20)
        #expect(messages == sent)  // decoded as sent: type, payload, pid, timestamp
        await client.close()
        // The garbage after the last frame is counted when the connection's end is read.
        let deadline = ContinuousClock.now + .seconds(10)
        while harness.dropped["corrupt_frame"] != 4 && ContinuousClock.now < deadline { _ = await harness.settle(for: .milliseconds(50)) }
        #expect(harness.dropped["corrupt_frame"] == 4)
    }

    @Test func closingInsideARecordCountsTheLostTail() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness)
        defer { Task { await input.stop() } }
        let client = try await TestClient.connect(port: input.port)
        try await client.send("one\ntwo\nthree-without-newline")
        await client.close()
        #expect(payloads(await harness.collect(2)) == ["one", "two"])
        _ = await harness.settle(for: .milliseconds(200))
        #expect(harness.dropped == ["incomplete_final": 1])
        let ledger = harness.ledger.snapshot
        #expect(ledger.read == 3)
        #expect(ledger.delivered == 2)
    }

    @Test func aResetInsideARecordCountsTheLostTailToo() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness)
        defer { Task { await input.stop() } }
        let client = try await TestClient.connect(port: input.port)
        try await client.send("one\ntwo\npartial")
        #expect(payloads(await harness.collect(2)) == ["one", "two"])
        // SO_LINGER 0: close sends a reset instead of a FIN.
        let options = try #require(client.channel as? any SocketOptionProvider)
        try await options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        await client.close()
        _ = await harness.settle(for: .milliseconds(200))
        #expect(harness.dropped == ["incomplete_final": 1])
    }

    @Test func deliverIncompleteFinalKeepsTheTail() async throws {
        let harness = InputHarness()
        let limits = SplitterLimits(deliverIncompleteFinal: true)
        let input = try await Self.start(harness, splitter: { TokenSplitter(limits: limits, startOffset: $0) })
        defer { Task { await input.stop() } }
        let client = try await TestClient.connect(port: input.port)
        try await client.send("one\ntail")
        await client.close()
        #expect(payloads(await harness.collect(2)) == ["one", "tail"])
        #expect(harness.dropped.isEmpty)
    }

    @Test func manyConcurrentConnectionsLoseNothing() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness)
        defer { Task { await input.stop() } }
        let connections = 40, lines = 250
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in 0..<connections {
                group.addTask {
                    let client = try await TestClient.connect(port: input.port)
                    let text = Array(numberedLines(lines, prefix: "c\(connection)").utf8)
                    for start in stride(from: 0, to: text.count, by: 997) {
                        try await client.send(Array(text[start..<min(text.count, start + 997)]))
                    }
                    await client.close()
                }
            }
            try await group.waitForAll()
        }
        let messages = await harness.collect(connections * lines)
        #expect(messages.count == connections * lines)
        let byConnection = Dictionary(grouping: payloads(messages), by: { $0.split(separator: "-")[0] })
        for connection in 0..<connections {
            #expect(byConnection["c\(connection)"] == (0..<lines).map { "c\(connection)-\($0)" })
        }
    }

    @Test func clientsBeyondMaxConnectionsWaitForASlot() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness, configure: { $0.maxConnections = 2 })
        defer { Task { await input.stop() } }
        let first = try await TestClient.connect(port: input.port)
        let second = try await TestClient.connect(port: input.port)
        try await first.send("first\n")
        try await second.send("second\n")
        #expect(Set(payloads(await harness.collect(2))) == ["first", "second"])
        let third = try await TestClient.connect(port: input.port)  // completes in the kernel backlog
        try await third.send("third\n")
        #expect(await harness.settle(for: .milliseconds(300)).count == 2)
        await first.close()
        #expect(payloads(await harness.collect(3)).last == "third")
        await second.close()
        await third.close()
    }

    @Test func boundAddressIsWrittenToTheAddressFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-tcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = BoundAddressFile.path(baseDir: folder.path, pluginName: "tcp_in")
        let harness = InputHarness()
        let input = try await Self.start(harness, configure: { $0.listener.addressFile = path })
        defer { Task { await input.stop() } }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "127.0.0.1:\(input.port)\n")
    }

    @Test func stoppingTheInputClosesTheListener() async throws {
        let harness = InputHarness()
        let input = try await Self.startOnStablePort(harness)
        let client = try await TestClient.connect(port: input.port)
        try await client.send("before\n")
        #expect(payloads(await harness.collect(1)) == ["before"])
        await input.stop()
        await #expect(throws: (any Error).self) { _ = try await TestClient.connect(port: input.port) }
        await client.close()
    }
}
