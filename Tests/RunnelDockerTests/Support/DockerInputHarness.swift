import Foundation
import Logging
import RunnelCore
import RunnelDocker
import Synchronization

/// A real router and queue around a Docker input under test: what the input delivers is popped
/// and confirmed (or left unconfirmed, as a crashed output would).
struct DockerInputHarness {
    let queue: BatchQueue
    let router: Router
    let folder: String

    init(queueBytes: Int = 1 << 24) throws {
        queue = BatchQueue(capacityBytes: queueBytes, policy: .block)
        router = Router(routes: [Route(name: "sink", matcher: .matchAll, queue: queue, counters: PluginCounters(name: "sink"))])
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-docker-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func checkpoints(name: String = "docker") -> StreamCheckpoints {
        StreamCheckpoints(store: CheckpointStore(directory: folder, inputName: name))
    }

    func context(name: String = "docker", checkpoints: StreamCheckpoints, maxMessageSize: Int = 64 * 1024,
                 splitter: @escaping SplitterFactory = { _ in DockerLineFraming() }, logs: LogRecorder? = nil) -> InputContext {
        var logger = logs.map { recorder in Logger(label: "docker-test") { _ in recorder } } ?? Logger(label: "docker-test")
        logger.logLevel = logs == nil ? .warning : .debug
        return InputContext(name: name, hostname: "test-host", counters: PluginCounters(name: name), ledger: InputLedger(),
                            checkpoints: checkpoints, logger: logger, maxMessageSize: maxMessageSize,
                            splitterFactory: splitter, decoder: nil, sendDecodeFailures: false, router: router)
    }

    /// Pops batches until `done` says enough arrived or `timeout` passes, confirming each.
    func collect(into sink: MessageSink, timeout: Duration, confirm: Bool = true, until done: ([Message]) -> Bool) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if done(sink.messages) { return }
            guard let batch = await queue.pop(timeout: .milliseconds(100)) else { continue }
            sink.append(batch.messages)
            if confirm { batch.confirm() }
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Messages collected by a test.
final class MessageSink: Sendable {
    private let storage = Mutex<[Message]>([])
    func append(_ messages: [Message]) { storage.withLock { $0 += messages } }
    var messages: [Message] { storage.withLock { $0 } }

    func from(_ containerName: String) -> [Message] {
        messages.filter { $0.field(named: "ContainerName")?.values == .string([ByteString(containerName)]) }
    }
}

extension Message {
    var payloadText: String { payload?.string ?? "" }

    func stringField(_ name: String) -> String? {
        if case .string(let values)? = field(named: ByteString(name))?.values { return values.first?.string }
        return nil
    }
}

/// Keeps what a plugin logged, for tests of its logging.
final class LogRecorder: LogHandler, Sendable {
    private let entries = Mutex<[(level: Logger.Level, message: String)]>([])
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        entries.withLock { $0.append((event.level, "\(event.message)")) }
    }

    var all: [(level: Logger.Level, message: String)] { entries.withLock { $0 } }

    func count(_ level: Logger.Level, containing text: String) -> Int {
        all.filter { $0.level == level && $0.message.contains(text) }.count
    }
}
