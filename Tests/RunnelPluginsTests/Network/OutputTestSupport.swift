import Foundation
import Logging
import NIOCore
import NIOPosix
import RunnelCore
import RunnelTestSupport
import Synchronization
import Testing
@testable import RunnelPlugins

/// An output under test: a queue the test fills, and the outcome of every batch it settles.
final class OutputHarness: Sendable {
    let queue = BatchQueue(capacityBytes: 256 << 20)
    let counters = PluginCounters(name: "tcp_out")
    let context: OutputContext
    private let outcomes = Mutex<[BatchOutcome]>([])

    init(encoder: (any Encoder)? = nil) {
        context = OutputContext(name: "tcp_out", counters: counters, logger: Logger(label: "test"), encoder: encoder,
                                useFraming: false, queue: queue)
    }

    /// Queues one batch; its outcome is recorded once the output settles it.
    func push(_ messages: [Message]) async {
        let acknowledgement = BatchAcknowledgement(messageCount: messages.count) { [self] outcome in
            self.outcomes.withLock { $0.append(outcome) }
        }
        let batch = RoutedBatch(messages: messages, origins: Array(messages.indices), acknowledgement: acknowledgement,
                                byteSize: messages.reduce(0) { $0 + $1.estimatedByteSize })
        _ = await queue.push(batch)
    }

    var settled: [BatchOutcome] { outcomes.withLock { $0 } }
    var deliveredMessages: Int { settled.reduce(0) { $0 + $1.delivered } }

    /// Waits until `count` messages were confirmed (or dropped), or `timeout` passed.
    @discardableResult
    func waitForSettled(_ count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while settled.reduce(0, { $0 + $1.messages }) < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}

/// A plain TCP server for output tests: keeps every connection's bytes; can pause reading (so the
/// peer's TCP stops acknowledging), and stop and start again on the same port.
final class RawTestServer: Sendable {
    private let serverChannel: any Channel
    private let storage: Storage
    let port: Int

    final class Storage: Sendable {
        let connections = Mutex<[(channel: any Channel, bytes: [UInt8])]>([])
        /// Whether connections read; connections accepted later follow it too, so a reconnect (or
        /// an accept delayed by a loaded machine) is never left paused after `resumeReading`.
        let reading: Mutex<Bool>

        init(reading: Bool) { self.reading = Mutex(reading) }
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let storage: Storage
        let index: Int

        init(storage: Storage, index: Int) {
            self.storage = storage
            self.index = index
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            storage.connections.withLock { $0[index].bytes += buffer.readableBytesView }
        }
    }

    /// On a port below the kernel's ephemeral range, for tests that stop the server and start
    /// another on its port (see `TcpInputTests.startOnStablePort`).
    static func startOnStablePort(reading: Bool = true, receiveBufferBytes: Int? = nil) async throws -> RawTestServer {
        var lastError: any Error = POSIXError(.EADDRINUSE)
        for _ in 0..<50 {
            do {
                return try await start(port: Int.random(in: LoopbackPort.stableRange), reading: reading, receiveBufferBytes: receiveBufferBytes)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    static func start(port: Int = 0, reading: Bool = true, receiveBufferBytes: Int? = nil) async throws -> RawTestServer {
        let storage = Storage(reading: reading)
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.autoRead, value: false)
        if let receiveBufferBytes {
            // Set on the listener so accepted sockets start with it (window scaling is fixed then).
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferBytes))
        }
        let channel = try await bootstrap.childChannelInitializer { channel in
            // Registered and given its reading state under one lock, so `resumeReading` either
            // sees this connection or this connection sees the resumed state.
            let (index, reads) = storage.reading.withLock { reading in
                let index = storage.connections.withLock { connections in
                    connections.append((channel, []))
                    return connections.count - 1
                }
                return (index, reading)
            }
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(Collector(storage: storage, index: index))
                if reads { try channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true) }
            }
        }.bind(host: "127.0.0.1", port: port).get()
        return RawTestServer(serverChannel: channel, storage: storage, port: channel.localAddress?.port ?? 0)
    }

    private init(serverChannel: any Channel, storage: Storage, port: Int) {
        self.serverChannel = serverChannel
        self.storage = storage
        self.port = port
    }

    var connectionCount: Int { storage.connections.withLock { $0.count } }
    var receivedBytes: [[UInt8]] { storage.connections.withLock { $0.map(\.bytes) } }
    var totalBytes: Int { receivedBytes.reduce(0) { $0 + $1.count } }

    /// Every complete Heka frame received, decoded, connection by connection.
    var messages: [Message] {
        receivedBytes.flatMap { bytes -> [Message] in
            var reader = HekaStreamReader(maxMessageSize: 1 << 20)
            reader.append(bytes)
            var found: [Message] = []
            while let item = reader.next() {
                if case .frame(let frame) = item, let message = try? MessageProtobuf.decode(frame.messageBytes) {
                    found.append(message)
                }
            }
            return found
        }
    }

    func resumeReading() async {
        let paused = storage.reading.withLock { reading in
            reading = true
            return storage.connections.withLock { $0.map(\.channel) }
        }
        for connection in paused {
            try? await connection.setOption(ChannelOptions.autoRead, value: true).get()
        }
    }

    /// Closes the listener and every connection, as a receiver that dies does.
    func stop() async {
        try? await serverChannel.close()
        for connection in storage.connections.withLock({ $0.map(\.channel) }) { try? await connection.close() }
    }

    /// Waits until `predicate` holds or `timeout` passes.
    func wait(timeout: Duration = .seconds(30), until predicate: (RawTestServer) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !predicate(self) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}

/// Messages numbered `first..<first+count`, identifiable by their Pid and Payload.
func numberedMessages(_ range: Range<Int>, payloadBytes: Int = 0) -> [Message] {
    range.map { index in
        let filler = payloadBytes > 0 ? " " + String(repeating: "x", count: payloadBytes) : ""
        return Message(uuid: MessageUUID.random(), timestamp: Int64(index), type: "numbered",
                       payload: ByteString("message \(index)\(filler)"), pid: Int32(index))
    }
}

/// Runs an output plugin in a task.
struct RunningOutput {
    let task: Task<Void, any Error>

    init(_ output: any OutputPlugin, context: OutputContext) {
        task = Task { try await output.run(context) }
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
