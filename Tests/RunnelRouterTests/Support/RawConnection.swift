import NIOCore
import NIOPosix

/// A test client speaking raw bytes over a real socket, so tests can send anything (malformed
/// lines, huge or dribbled headers) and read exactly what came back. Every read has a deadline.
final class RawConnection {
    enum Event { case data(ByteBuffer), closed, timeout(Int) }

    struct TimedOut: Error, CustomStringConvertible {
        var description: String
    }

    let channel: any Channel
    private var events: AsyncStream<Event>.AsyncIterator
    private let continuation: AsyncStream<Event>.Continuation
    private var received: [UInt8] = []
    private(set) var isClosed = false
    private var timerID = 0

    private init(channel: any Channel, events: AsyncStream<Event>, continuation: AsyncStream<Event>.Continuation) {
        self.channel = channel
        self.events = events.makeAsyncIterator()
        self.continuation = continuation
    }

    static func connect(port: Int) async throws -> RawConnection {
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EventForwarder(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, events: stream, continuation: continuation)
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// One complete response (Content-Length, chunked, or up to the close).
    func readResponse(timeout: Duration = .seconds(10), headRequest: Bool = false) async throws -> RawResponse {
        try await readUntil(timeout: timeout) { bytes, closed in RawResponse.parse(bytes, closed: closed, headRequest: headRequest) }
    }

    /// Only the response head; the body keeps streaming.
    func readResponseHead(timeout: Duration = .seconds(10)) async throws -> RawResponse {
        try await readUntil(timeout: timeout) { bytes, _ in
            guard let end = RawResponse.headEnd(bytes) else { return nil }
            return RawResponse.parseHead(Array(bytes[..<end])).map { ($0, end) }
        }
    }

    /// At least `count` more bytes (or what came before the close).
    func readBytes(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        try await readUntil(timeout: timeout) { bytes, closed in
            bytes.count >= count ? (Array(bytes.prefix(count)), count) : (closed ? (bytes, bytes.count) : nil)
        }
    }

    /// Waits until the peer closes; returns what arrived before.
    func readUntilClosed(timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        try await readUntil(timeout: timeout) { bytes, closed in closed ? (bytes, bytes.count) : nil }
    }

    private func readUntil<T>(timeout: Duration, _ parse: ([UInt8], Bool) -> (T, Int)?) async throws -> T {
        timerID += 1
        let id = timerID
        let continuation = self.continuation
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.components.seconds * 1_000_000_000
                                                                    + timeout.components.attoseconds / 1_000_000_000)) {
            continuation.yield(.timeout(id))
        }
        defer { timer.cancel() }
        while true {
            if let (value, consumed) = parse(received, isClosed) {
                received.removeFirst(consumed)
                return value
            }
            if isClosed { throw TimedOut(description: "connection closed; received \(received.count) bytes: \(String(decoding: received.prefix(300), as: UTF8.self))") }
            switch await events.next() {
            case .data(var buffer)?: received += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .closed?, nil: isClosed = true
            case .timeout(let fired)?:
                if fired == id { throw TimedOut(description: "no complete answer within \(timeout); have \(received.count) bytes: \(String(decoding: received.prefix(300), as: UTF8.self))") }
            }
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}

private final class EventForwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncStream<RawConnection.Event>.Continuation

    init(continuation: AsyncStream<RawConnection.Event>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(.data(unwrapInboundIn(data)))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.yield(.closed)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
