import NIOCore

/// Sits below the HTTP decoder and watches raw bytes while the connection waits for a request
/// head. A silent keep-alive connection is closed after the idle timeout; a client that started
/// a head but dribbles it (slowloris) gets 408 after the header timeout, counted from its first byte.
final class HeaderTimeoutHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var waitingForHead = true
    private var headStarted = false
    private var timer: Scheduled<Void>?

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { awaitNextRequest() }
    }

    func channelActive(context: ChannelHandlerContext) {
        awaitNextRequest()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if waitingForHead && !headStarted {
            headStarted = true
            schedule(headerTimeout) { context in
                context.writeAndFlush(NIOAny(LocalResponse(status: .requestTimeout, message: "request headers not received in time").rawBytes(closing: true)), promise: nil)
                context.close(promise: nil)
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    /// The decoder produced a request head: no deadline while the request is served.
    func headReceived() {
        waitingForHead = false
        timer?.cancel()
        timer = nil
    }

    /// The response ended and the connection stays open for another request.
    func awaitNextRequest() {
        waitingForHead = true
        headStarted = false
        schedule(idleTimeout) { context in context.close(promise: nil) }
    }

    private func schedule(_ delay: TimeAmount, _ action: @escaping (ChannelHandlerContext) -> Void) {
        timer?.cancel()
        guard let context else { return }
        let bound = NIOLoopBound((self, action), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            let (handler, action) = bound.value
            if let context = handler.context, handler.waitingForHead { action(context) }
        }
    }
}
