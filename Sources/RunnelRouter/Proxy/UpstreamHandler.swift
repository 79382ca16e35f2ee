import NIOCore
import NIOHTTP1

/// Events an upstream connection reports to the client connection using it.
protocol UpstreamDelegate: AnyObject {
    func upstreamResponse(_ part: HTTPClientResponsePart)
    func upstreamReadComplete()
    func upstreamWritabilityChanged(writable: Bool)
    /// The connection failed or closed before the response ended; `timedOut` for read timeouts.
    func upstreamFailed(_ reason: String, timedOut: Bool)
    /// Whether the client can take more bytes now; reads from upstream pause while it cannot.
    var clientIsWritable: Bool { get }
    /// True once the whole request was sent: only then does upstream silence count as a timeout.
    var isAwaitingResponse: Bool { get }
}

/// Last handler of an upstream connection: forwards the response to its delegate and holds
/// reads while the client is slow, so a large response never piles up in memory.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    weak var delegate: (any UpstreamDelegate)?
    private var context: ChannelHandlerContext?
    /// Longest silence allowed while a delegate waits for its response.
    private let readTimeout: TimeAmount
    private var lastRead = NIODeadline.now()
    /// One timer per wait, re-armed from `lastRead` when it fires early, instead of a timer
    /// (or an idle-state handler's bookkeeping) per read and write.
    private var readTimer: Scheduled<Void>?

    init(readTimeout: TimeAmount) { self.readTimeout = readTimeout }
    private var readPending = false
    /// Set once the server said `Connection: close` or anything went wrong.
    private(set) var reusable = true
    /// True when the connection has carried at least one request (a stale keep-alive can fail).
    private(set) var wasReused = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = .now()
        let part = unwrapInboundIn(data)
        if case .head(let head) = part, !head.isKeepAlive { reusable = false }
        guard let delegate else {
            // Bytes from a parked connection: the server is not speaking HTTP in step with us.
            context.close(promise: nil)
            return
        }
        delegate.upstreamResponse(part)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        delegate?.upstreamWritabilityChanged(writable: context.channel.isWritable)
    }

    func read(context: ChannelHandlerContext) {
        if let delegate, !delegate.clientIsWritable {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Writes a request part from the client side (same event loop).
    func send(_ part: HTTPClientRequestPart, flush: Bool = false) {
        guard let context else { return }
        if flush {
            context.writeAndFlush(wrapOutboundOut(part), promise: nil)
        } else {
            context.write(wrapOutboundOut(part), promise: nil)
        }
    }

    func flush() { context?.flush() }

    /// The client drained its buffer: read again if a read was held back.
    func resumeReading() {
        guard readPending, let context else { return }
        readPending = false
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        readTimer?.cancel()
        readTimer = nil
        reusable = false
        if let delegate {
            self.delegate = nil
            delegate.upstreamFailed("upstream closed the connection", timedOut: false)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reusable = false
        if let delegate {
            self.delegate = nil
            let reason = error is HTTPParserError ? "malformed response from upstream (\(error))" : "upstream error: \(error)"
            delegate.upstreamFailed(reason, timedOut: false)
        }
        context.close(promise: nil)
    }

    /// Starts serving a request for `delegate`.
    func attach(_ delegate: any UpstreamDelegate) {
        self.delegate = delegate
        readPending = false
        lastRead = .now()
        if readTimer == nil { armReadTimer(at: lastRead + readTimeout) }
    }

    private func armReadTimer(at deadline: NIODeadline) {
        guard let context else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        readTimer = context.eventLoop.scheduleTask(deadline: deadline) { bound.value.readTimerFired() }
    }

    private func readTimerFired() {
        readTimer = nil
        guard let delegate, let context else { return }
        let deadline = lastRead + readTimeout
        guard NIODeadline.now() >= deadline else {
            armReadTimer(at: deadline)
            return
        }
        if delegate.isAwaitingResponse {
            reusable = false
            self.delegate = nil
            delegate.upstreamFailed("upstream read timed out", timedOut: true)
            context.close(promise: nil)
        } else {
            // Still sending the request body: the silence is expected; look again later.
            armReadTimer(at: .now() + readTimeout)
        }
    }

    /// Stops reporting to the current delegate (its request ended).
    func detach() {
        delegate = nil
        wasReused = true
        if readPending, let context {
            readPending = false
            context.read()
        }
    }
}
