import Synchronization

/// A live sample of the messages passing the router (`runnel tap`): those a matcher selects, and
/// optionally only those routed to one plugin. Sampling never slows the pipeline: a tap holds at
/// most `bufferSize` messages and drops the oldest when its reader is slower than the stream.
public final class MessageTap: Sendable {
    public let matcher: MessageMatcher
    public let plugin: String?
    private let continuation: AsyncStream<Message>.Continuation
    public let messages: AsyncStream<Message>

    public init(matcher: MessageMatcher, plugin: String?, bufferSize: Int = 1000) {
        self.matcher = matcher
        self.plugin = plugin
        (messages, continuation) = AsyncStream<Message>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
    }

    func offer(_ message: Message) {
        continuation.yield(message)
    }

    public func finish() {
        continuation.finish()
    }
}

/// The taps attached to a router; empty almost always, so routing checks one flag per batch.
final class TapSet: Sendable {
    private let taps = Mutex<[ObjectIdentifier: MessageTap]>([:])
    private let count = Atomic<Int>(0)

    var isEmpty: Bool { count.load(ordering: .relaxed) == 0 }

    func add(_ tap: MessageTap) {
        let total = taps.withLock { taps in
            taps[ObjectIdentifier(tap)] = tap
            return taps.count
        }
        count.store(total, ordering: .relaxed)
    }

    func remove(_ tap: MessageTap) {
        let total = taps.withLock { taps in
            taps[ObjectIdentifier(tap)] = nil
            return taps.count
        }
        count.store(total, ordering: .relaxed)
        tap.finish()
    }

    var all: [MessageTap] { taps.withLock { Array($0.values) } }
}
