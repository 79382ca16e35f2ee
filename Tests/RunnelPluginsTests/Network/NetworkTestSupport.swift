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
        // A run that ends before listening (the port is taken) ends the wait below with an error.
        task = Task {
            defer { continuation.finish() }
            try await input.run(context)
        }
        var iterator = addresses.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            _ = try await task.value
            throw InputEndedBeforeListening()
        }
        port = try #require(bound.port)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

struct InputEndedBeforeListening: Error {}

/// A continuation resumed by whichever of two racers comes first.
final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, Never>?>(nil)
    func set(_ value: CheckedContinuation<Value, Never>) { continuation.withLock { $0 = value } }
    func resume(_ value: Value) { continuation.withLock { $0.take() }?.resume(returning: value) }
}

/// Awaits `operation`, but at most `timeout`: past it, records which step is stuck and returns
/// nil (the operation is left running). A step that can hang then fails the test, naming itself,
/// instead of hanging the whole test run.
func within<T: Sendable>(_ timeout: Duration, _ step: String, sourceLocation: SourceLocation = #_sourceLocation,
                         _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
    let once = ResumeOnce<Result<T, any Error>?>()
    let result: Result<T, any Error>? = await withCheckedContinuation { continuation in
        once.set(continuation)
        Task {
            let value: Result<T, any Error>
            do { value = .success(try await operation()) } catch { value = .failure(error) }
            once.resume(value)
        }
        Task {
            try? await Task.sleep(for: timeout)
            once.resume(nil)
        }
    }
    guard let result else {
        Issue.record("\(step) did not finish within \(timeout)", sourceLocation: sourceLocation)
        return nil
    }
    return try result.get()
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
