import NIOCore

/// The client connection's deadline while it waits for a request head, kept by the proxy handler
/// (not a handler of its own: one handler per connection). A silent keep-alive connection is
/// closed after the idle timeout; a client that started a head but dribbles it (slowloris) gets
/// 408 after the header timeout, counted from its first byte.
final class HeaderDeadline {
    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var waitingForHead = true
    private var headStarted = false
    /// Taken at the first read that left a head incomplete (microseconds after its first byte),
    /// so the usual head, complete in one read, costs no clock reading.
    private var headStart: NIODeadline?
    /// When the current wait ends; the one armed timer fires at or before it and re-arms itself
    /// if the deadline moved, so a request costs a field write rather than a timer.
    private var deadline = NIODeadline.distantFuture
    private var timer: Scheduled<Void>?

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }

    /// The connection's handler was added; `context` closes the connection when time is up.
    func attach(_ context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { awaitNextRequest() }
    }

    func stop() {
        timer?.cancel()
        timer = nil
        context = nil
    }

    /// Bytes arrived (before the handler looks at them).
    func bytesArrived() {
        if waitingForHead && !headStarted {
            headStarted = true
            headStart = nil
        }
    }

    /// Only a head still incomplete after a read needs the header deadline; the usual head
    /// arrives whole in one read and costs no timer.
    func readComplete() {
        guard waitingForHead && headStarted else { return }
        let start = headStart ?? .now()
        headStart = start
        arm(start + headerTimeout)
    }

    /// A request head was read: no deadline while the request is served.
    func headReceived() {
        waitingForHead = false
    }

    /// The response ended and the connection stays open for another request; `now` when the
    /// caller has just read the clock.
    func awaitNextRequest(now: NIODeadline? = nil) {
        waitingForHead = true
        headStarted = false
        arm((now ?? .now()) + idleTimeout)
    }

    private func arm(_ newDeadline: NIODeadline) {
        let earlier = newDeadline < deadline
        deadline = newDeadline
        guard timer == nil || earlier, let context else { return }
        timer?.cancel()
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: newDeadline) { bound.value.fired() }
    }

    private func fired() {
        timer = nil
        guard waitingForHead, let context else { return }
        guard NIODeadline.now() >= deadline else {
            let later = deadline
            deadline = .distantFuture
            arm(later)
            return
        }
        if headStarted {
            // A head begun but not finished in time: slowloris, or a client stuck mid-header.
            let response = LocalResponse(status: .requestTimeout, message: "request headers not received in time")
            context.writeAndFlush(NIOAny(response.rawBytes(keepAlive: false)), promise: nil)
        }
        context.close(promise: nil)
    }
}
