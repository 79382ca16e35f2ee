import Foundation
import Logging
import NIOCore
import NIOPosix
import RunnelCore
import Synchronization
import Testing
@testable import RunnelPlugins

/// A pipeline around one input under test: a router with one route into a queue the test drains
/// (confirming each batch, as an output would).
final class InputHarness: Sendable {
    let queue: BatchQueue
    let counters = PluginCounters(name: "net")
    let ledger = InputLedger()
    let router: Router
    private let received = Mutex<[Message]>([])

    init(queueBytes: Int = 64 << 20) {
        queue = BatchQueue(capacityBytes: queueBytes)
        // The matcher "TRUE" always compiles.
        let matcher = try! MessageMatcher("TRUE")
        router = Router(routes: [Route(name: "collector", matcher: matcher, queue: queue, counters: PluginCounters(name: "collector"))])
    }

    func context(name: String = "tcp_in", splitter: @escaping SplitterFactory, decoder: (any Decoder)? = nil) -> InputContext {
        InputContext(name: name, hostname: "test-host", counters: counters, ledger: ledger,
                     checkpoints: StreamCheckpoints(store: nil), logger: Logger(label: "test"), maxMessageSize: 64 * 1024,
                     splitterFactory: splitter, decoder: decoder, sendDecodeFailures: false, router: router)
    }

    /// Drains and confirms batches until `count` messages arrived in total or `timeout` passed.
    @discardableResult
    func collect(_ count: Int, timeout: Duration = .seconds(30)) async -> [Message] {
        let deadline = ContinuousClock.now + timeout
        while received.withLock({ $0.count }) < count && ContinuousClock.now < deadline {
            guard let batch = await queue.pop(timeout: .milliseconds(50)) else { continue }
            received.withLock { $0 += batch.messages }
            batch.confirm()
        }
        return received.withLock { $0 }
    }

    /// Drains for `duration`, for checks that nothing more arrives.
    func settle(for duration: Duration) async -> [Message] {
        await collect(Int.max, timeout: duration)
    }

    var dropped: [String: Int] { counters.snapshot.dropped }
}

/// Runs a plugin's `run` in a task, and reports the port it bound.
final class RunningInput: Sendable {
    let task: Task<Void, any Error>
    let port: Int

    init(_ makeInput: (_ onListening: @escaping @Sendable (SocketAddress) -> Void) -> any InputPlugin,
         context: InputContext) async throws {
        let (addresses, continuation) = AsyncStream<SocketAddress>.makeStream()
        let input = makeInput { continuation.yield($0) }
        task = Task { try await input.run(context) }
        var iterator = addresses.makeAsyncIterator()
        let bound = try #require(await iterator.next())
        port = try #require(bound.port)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// A TCP client on NIO, so tests never block a cooperative thread.
struct TestClient {
    let channel: any Channel

    static func connect(port: Int, host: String = "127.0.0.1") async throws -> TestClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port).get()
        return TestClient(channel: channel)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func close() async {
        try? await channel.close()
    }
}

/// Lines `prefix-0` … as newline-terminated text.
func numberedLines(_ count: Int, prefix: String = "line") -> String {
    (0..<count).map { "\(prefix)-\($0)\n" }.joined()
}

func payloads(_ messages: [Message]) -> [String] {
    messages.map { $0.payload?.string ?? "<nil>" }
}

let lineSplitter: SplitterFactory = { offset in TokenSplitter(startOffset: offset) }
let framingSplitter: SplitterFactory = { offset in HekaFramingSplitter(maxMessageSize: 64 * 1024, startOffset: offset) }
