import NIOCore

/// The only handler of an upstream connection: reads the response from the raw bytes (head parsed
/// in place, body framed by length, chunks or close), hands it to the client connection using it,
/// and holds reads while the client is slow, so a large response never piles up in memory.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The client connection being served; nil while parked. Strong, and cleared by every path
    /// that ends an exchange (detach, failure, either side closing): a weak reference gave the
    /// client handler a side table, which made each of its many retains and releases a slow one.
    private var client: ClientHandler?
    private var context: ChannelHandlerContext?
    /// Longest silence allowed while a client waits for its response.
    private let readTimeout: TimeAmount
    /// When bytes last arrived: the response's end for the client's bookkeeping, too.
    private(set) var lastRead = NIODeadline.now()
    /// One timer per wait, re-armed from `lastRead` when it fires early, instead of a timer
    /// (or an idle-state handler's bookkeeping) per read and write.
    private var readTimer: Scheduled<Void>?
    private var readPending = false
    /// Set once the server said `Connection: close` or anything went wrong.
    private(set) var reusable = true
    /// True when the connection has carried at least one request (a stale keep-alive can fail).
    private(set) var wasReused = false
    /// Response bytes read and not handled yet (a head still incomplete).
    private var inbound: ByteBuffer?
    /// Where the response body ends, once its head was read.
    private var body: BodyFraming?
    private var requestIsHead = false
    /// The client speaks HTTP/1.0: a chunked body reaches it without the chunk framing.
    private var dechunk = false
    private var dechunking = false
    /// Longest response head accepted from an upstream.
    static let maxHeadSize = 64 * 1024

    init(readTimeout: TimeAmount) { self.readTimeout = readTimeout }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        client = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = .now()
        var bytes = unwrapInboundIn(data)
        guard client != nil else {
            // Bytes from a parked connection: the server is not speaking HTTP in step with us.
            reusable = false
            context.close(promise: nil)
            return
        }
        if inbound == nil {
            inbound = bytes
        } else {
            inbound!.writeBuffer(&bytes)
        }
        while let client, let available = inbound?.readableBytes, available > 0 {
            if body != nil {
                readBody(client)
            } else if !readHead(client, available: available, context: context) {
                break
            }
        }
        if inbound?.readableBytes == 0 { inbound = nil }
    }

    private func readHead(_ client: ClientHandler, available: Int, context: ChannelHandlerContext) -> Bool {
        guard let length = inbound!.withUnsafeReadableBytes({ HeadScanner.headLength($0, from: 0) }) else {
            if available > Self.maxHeadSize { fail("malformed response from upstream (head larger than \(Self.maxHeadSize) bytes)") }
            return false
        }
        let head: ResponseHead
        do {
            head = try ResponseHead.parse(inbound!.readSlice(length: length)!)
        } catch {
            fail("malformed response from upstream (\(error))")
            return false
        }
        if head.status < 200 {
            // Informational answers are not forwarded (the router answers 100-continue itself);
            // a protocol switch cannot be followed.
            if head.status == 101 { fail("upstream switched protocols") }
            return head.status != 101
        }
        if !head.keepsConnection { reusable = false }
        var framing: BodyFraming
        if requestIsHead || head.status == 204 || head.status == 304 {
            framing = .length(0)
        } else if head.chunked {
            framing = .chunked
        } else if head.transferEncoding {
            framing = .untilClose
        } else if let length = head.contentLength {
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        if framing.endsWithClose { reusable = false }
        dechunking = dechunk && head.chunked
        client.upstreamResponseHead(head, endsWithClose: framing.endsWithClose || dechunking, dechunked: dechunking)
        if framing.isDone {
            finishResponse()
        } else {
            body = framing
        }
        return true
    }

    private func readBody(_ client: ClientHandler) {
        var framing = body!
        var data: [Range<Int>] = []
        let used: Int
        do {
            let dechunking = self.dechunking
            used = try inbound!.withUnsafeReadableBytes { raw in
                try framing.consume(raw) { range in if dechunking && !range.isEmpty { data.append(range) } }
            }
        } catch {
            fail("malformed response body from upstream (\(error))")
            return
        }
        let part = inbound!.readSlice(length: used)!
        body = framing.isDone ? nil : framing
        if dechunking {
            for range in data { client.upstreamResponseBody(part.getSlice(at: part.readerIndex + range.lowerBound, length: range.count)!) }
        } else if used > 0 {
            client.upstreamResponseBody(part)
        }
        if framing.isDone { finishResponse() }
    }

    /// The response is complete: bytes after it mean the server is out of step.
    private func finishResponse() {
        if let inbound, inbound.readableBytes > 0 { reusable = false }
        inbound = nil
        body = nil
        client?.upstreamResponseEnd()
    }

    private func fail(_ reason: String) {
        reusable = false
        inbound = nil
        body = nil
        if let client {
            self.client = nil
            client.upstreamFailed(reason, timedOut: false)
        }
        context?.close(promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        client?.upstreamReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        client?.upstreamWritabilityChanged(writable: context.channel.isWritable)
    }

    func read(context: ChannelHandlerContext) {
        if let client, !client.clientIsWritable {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Writes request bytes from the client side (same event loop).
    func send(_ bytes: ByteBuffer) {
        context?.write(wrapOutboundOut(bytes), promise: nil)
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
        if let body, body.endsWithClose, client != nil {
            // A body without length or chunks ends with the connection.
            finishResponse()
        }
        if let client {
            self.client = nil
            client.upstreamFailed("upstream closed the connection", timedOut: false)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reusable = false
        if let client {
            self.client = nil
            client.upstreamFailed("upstream error: \(error)", timedOut: false)
        }
        context.close(promise: nil)
    }

    /// Starts serving a request for `client`.
    func attach(_ client: ClientHandler, requestIsHead: Bool, dechunk: Bool, now: NIODeadline) {
        self.client = client
        self.requestIsHead = requestIsHead
        self.dechunk = dechunk
        inbound = nil
        body = nil
        readPending = false
        lastRead = now
        if readTimer == nil { armReadTimer(at: lastRead + readTimeout) }
    }

    private func armReadTimer(at deadline: NIODeadline) {
        guard let context else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        readTimer = context.eventLoop.scheduleTask(deadline: deadline) { bound.value.readTimerFired() }
    }

    private func readTimerFired() {
        readTimer = nil
        guard let client, let context else { return }
        let deadline = lastRead + readTimeout
        guard NIODeadline.now() >= deadline else {
            armReadTimer(at: deadline)
            return
        }
        if client.isAwaitingResponse {
            reusable = false
            self.client = nil
            client.upstreamFailed("upstream read timed out", timedOut: true)
            context.close(promise: nil)
        } else {
            // Still sending the request body: the silence is expected; look again later.
            armReadTimer(at: .now() + readTimeout)
        }
    }

    /// Stops reporting to the current client (its request ended).
    func detach() {
        client = nil
        wasReused = true
        inbound = nil
        body = nil
        if readPending, let context {
            readPending = false
            context.read()
        }
    }
}
