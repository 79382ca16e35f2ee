import NIOCore
import NIOPosix
import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite struct UdpInputTests {
    static func start(_ harness: InputHarness, splitter: SplitterFactory? = nil,
                      configure: (inout UdpInput.Options) -> Void = { _ in }) async throws -> RunningInput {
        var options = UdpInput.Options(address: HostAndPort(host: "127.0.0.1", port: 0))
        configure(&options)
        let configured = options
        let factory = splitter ?? UdpInput(options: configured).defaultSplitter(limits: SplitterLimits())
        return try await RunningInput({ onListening in
            var options = configured
            options.listener.onListening = onListening
            return UdpInput(options: options)
        }, context: harness.context(name: "udp_in", splitter: factory))
    }

    /// Sends each datagram from one client socket.
    static func send(_ datagrams: [[UInt8]], to port: Int) async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        for datagram in datagrams {
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: datagram)))
        }
        return channel.localAddress?.port ?? 0
    }

    @Test func eachDatagramIsOneMessageByDefault() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness)
        defer { Task { await input.stop() } }
        let senderPort = try await Self.send([Array("one\ntwo".utf8), Array("three\n".utf8)], to: input.port)
        let messages = await harness.collect(2)
        #expect(payloads(messages) == ["one\ntwo", "three\n"])
        #expect(messages.first?.type == "udp_in")
        #expect(messages.first?.logger == ByteString("127.0.0.1:\(senderPort)"))
        #expect(messages.first?.hostname == "test-host")  // set_hostname is off
    }

    @Test func setHostnameUsesTheSenderAddress() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness, configure: { $0.setHostname = true })
        defer { Task { await input.stop() } }
        _ = try await Self.send([Array("x".utf8)], to: input.port)
        #expect(await harness.collect(1).first?.hostname == "127.0.0.1")
    }

    @Test func aSplitterCutsWithinEachDatagramAndCountsLostTails() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness, splitter: lineSplitter)
        defer { Task { await input.stop() } }
        _ = try await Self.send([Array("a\nb\n".utf8), Array("c\npartial".utf8), Array("d\n".utf8)], to: input.port)
        #expect(payloads(await harness.collect(4)) == ["a", "b", "c", "d"])
        _ = await harness.settle(for: .milliseconds(100))
        #expect(harness.dropped == ["incomplete_final": 1])
    }

    @Test func signedHekaFramesAreVerifiedAndDecoded() async throws {
        let key: [UInt8] = Array("secret".utf8)
        let verifier = HekaSignatureVerifier(keys: [.init(name: "ops", version: 1): key], requireSignature: true)
        let harness = InputHarness()
        let input = try await Self.start(harness, configure: { $0.listener.defaultSplitter = .hekaFraming(verifier: verifier) })
        defer { Task { await input.stop() } }
        let good = Message(timestamp: 1, type: "signed", payload: "ok")
        var signed: [UInt8] = []
        HekaFraming.appendFrame(good, signer: MessageSigner(name: "ops", key: key, version: 1), to: &signed)
        var forged: [UInt8] = []
        HekaFraming.appendFrame(Message(timestamp: 2, type: "forged"), signer: MessageSigner(name: "ops", key: Array("wrong".utf8), version: 1), to: &forged)
        _ = try await Self.send([forged, signed], to: input.port)
        #expect(await harness.collect(1) == [good])
        _ = await harness.settle(for: .milliseconds(100))
        #expect(harness.dropped == ["corrupt_frame": 1])
    }

    @Test func manyDatagramsArriveInBatches() async throws {
        let harness = InputHarness()
        let input = try await Self.start(harness, configure: { $0.listener.receiveBufferBytes = 4 << 20 })
        defer { Task { await input.stop() } }
        let datagrams = (0..<500).map { Array("datagram \($0)".utf8) }
        _ = try await Self.send(datagrams, to: input.port)
        let messages = await harness.collect(500)
        // Loopback does not lose datagrams with a large enough receive buffer.
        #expect(Set(payloads(messages)) == Set(datagrams.map { String(decoding: $0, as: UTF8.self) }))
    }
}
