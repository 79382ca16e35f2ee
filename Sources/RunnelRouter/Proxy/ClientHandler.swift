import NIOCore
import NIOHTTP1

/// The end of a client connection's pipeline: reads HTTP/1.1 requests from the raw bytes, routes
/// each by Host, streams it to an upstream connection and streams the response back, holding reads
/// on whichever side is ahead so neither body is ever buffered whole. Heads are parsed in place
/// and forwarded as spliced bytes; bodies are forwarded as the bytes they arrived in.
final class ClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let shared: ProxyShared
    let listener: ListenerConfig
    let settings: ProxyDefaults
    let headerTimer: HeaderDeadline
    /// The settings' durations as NIO time, converted once per connection rather than per request.
    let retryBudget: TimeAmount
    let upstreamIdleTimeout: TimeAmount
    var context: ChannelHandlerContext?
    var clientIP = "-"
    /// Until channelInactive (fired at once when the connection closes): the channel's own
    /// `isActive` is an existential call and an atomic load, asked several times per request.
    var connectionOpen = true
    var exchange: ProxyExchange?
    /// A read the client asked for while the upstream could not take more bytes.
    var readHeld = false
    var upstreamNeedsFlush = false
    /// Between channelRead and channelReadComplete: writes upstream can wait for the latter's flush.
    var inClientRead = false
    /// The request body still arriving after a local response: dropped, then the connection closes.
    var discardingRequest = false
    var requestIDs = RequestIDGenerator()
    var routeCache = RouteLookupCache()
    /// Bytes read and not handled yet: a head still incomplete, or requests pipelined behind the
    /// one being answered (HTTP/1.1 answers in order).
    var inbound: ByteBuffer?
    /// Where the body of the request being read ends, while it arrives.
    var requestBody: BodyFraming?
    /// Response bytes gathered until the next flush: a head and the small body parts after it
    /// leave in one write.
    var pendingOut: ByteBuffer?
    /// Body parts were written to the client since the last flush.
    var unflushed = false
    /// The last response buffer written, whose storage is reused once the socket is done with it.
    var spareOut: ByteBuffer?
    /// The last upstream request head, likewise.
    var spareHead: ByteBuffer?
    /// Idle upstream connections of this connection's event loop.
    var connectionPool: UpstreamConnectionPool?
    private var processing = false
    private var headSearchedTo = 0
    /// Reading pauses while this many bytes of pipelined requests wait.
    static let maxWaitingBytes = 64 * 1024
    /// Body parts up to this size are copied behind the response head instead of written apart.
    static let gatheredBodyLimit = 4096

    init(shared: ProxyShared, listener: ListenerConfig, settings: ProxyDefaults) {
        self.shared = shared
        self.listener = listener
        self.settings = settings
        retryBudget = settings.retryBudget.timeAmount
        upstreamIdleTimeout = settings.upstreamIdleTimeout.timeAmount
        headerTimer = HeaderDeadline(headerTimeout: settings.clientHeaderTimeout.timeAmount,
                                     idleTimeout: settings.clientIdleTimeout.timeAmount)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientIP = context.channel.remoteAddress?.ipAddress ?? "-"
        connectionPool = shared.connectionPool(on: context.eventLoop)
        headerTimer.attach(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headerTimer.stop()
        if let upstream = exchange?.upstream {
            // Normally done on channelInactive; the upstream handler holds this one strongly.
            upstream.handler.detach()
            upstream.channel.close(promise: nil)
        }
        exchange = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        headerTimer.awaitNextRequest()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inClientRead = true
        headerTimer.bytesArrived()
        var bytes = unwrapInboundIn(data)
        if inbound == nil {
            inbound = bytes
        } else {
            inbound!.writeBuffer(&bytes)
        }
        processInbound()
    }

    /// Handles what `inbound` holds as far as the connection's state allows. Re-entered calls
    /// (an exchange ending inside the loop) return at once: the loop carries on with the new state.
    func processInbound() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while let context, connectionOpen, let available = inbound?.readableBytes, available > 0 {
            if requestBody != nil {
                readBody(context: context)
            } else if exchange != nil {
                break  // a pipelined request: it waits until the response in progress is complete
            } else if !readHead(available: available, context: context) {
                break
            }
        }
        if inbound?.readableBytes == 0 { inbound = nil }
    }

    /// Parses the next head if it is all there; false when more bytes are needed or the
    /// connection is closing.
    private func readHead(available: Int, context: ChannelHandlerContext) -> Bool {
        let length = inbound!.withUnsafeReadableBytes { HeadScanner.headLength($0, from: headSearchedTo) }
        guard let length else {
            if available > settings.maxHeaderSize {
                rejectHead(.requestHeaderFieldsTooLarge, "request headers too large", context: context)
            } else {
                headSearchedTo = max(0, available - 3)
            }
            return false
        }
        headSearchedTo = 0
        guard length <= settings.maxHeaderSize else {
            rejectHead(.requestHeaderFieldsTooLarge, "request headers too large", context: context)
            return false
        }
        let bytes = inbound!.readSlice(length: length)!
        do {
            requestHead(try RequestHead.parse(bytes), context: context)
            return true
        } catch {
            rejectHead(.badRequest, "malformed request", context: context)
            return false
        }
    }

    /// The request cannot be read, so the connection is out of step: answer and close.
    private func rejectHead(_ status: HTTPResponseStatus, _ message: String, context: ChannelHandlerContext) {
        inbound = nil
        context.writeAndFlush(wrapOutboundOut(LocalResponse(status: status, message: message).rawBytes(keepAlive: false)), promise: nil)
        context.close(promise: nil)
    }

    private func readBody(context: ChannelHandlerContext) {
        var framing = requestBody!
        var dataBytes = 0
        let used: Int
        do {
            used = try inbound!.withUnsafeReadableBytes { try framing.consume($0) { dataBytes += $0.count } }
        } catch {
            inbound = nil
            requestBody = nil
            if let exchange, !exchange.responseHeadSent {
                failLocally(exchange, LocalResponse(status: .badRequest, message: "malformed request body", requestID: exchange.requestID.string))
            }
            context.close(promise: nil)
            return
        }
        let part = inbound!.readSlice(length: used)!
        requestBody = framing.isDone ? nil : framing
        if discardingRequest {
            if framing.isDone {
                // The local answer went out already; the body it refused is now fully read.
                discardingRequest = false
                inbound = nil
                context.close(promise: nil)
            }
            return
        }
        requestBodyPart(part, dataBytes: dataBytes)
        if framing.isDone { requestEnd() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        headerTimer.readComplete()
        inClientRead = false
        if upstreamNeedsFlush, let upstream = exchange?.upstream {
            upstreamNeedsFlush = false
            upstream.handler.flush()
        }
        // Not passed on: this handler is the pipeline's last, and the tail discards it.
    }

    func read(context: ChannelHandlerContext) {
        if exchange != nil, (inbound?.readableBytes ?? 0) >= Self.maxWaitingBytes {
            readHeld = true
            return
        }
        if let exchange, exchange.hasBody, !exchange.requestEnded, !discardingRequest,
           exchange.upstream.map({ !$0.channel.isWritable }) ?? true {
            // A body is coming and there is nowhere to put it yet (connecting, or the upstream is
            // full): wait, so it stays in the socket. Requests without a body never wait here; a
            // held read costs a system call when released.
            readHeld = true
            return
        }
        context.read()
    }

    func releaseHeldRead() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { exchange?.upstream?.handler.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionOpen = false
        headerTimer.stop()
        inbound = nil
        if let exchange {
            // The client left before the response ended (nginx logs 499): the upstream connection
            // is mid-request and cannot be reused.
            if let upstream = exchange.upstream {
                upstream.handler.detach()
                upstream.channel.close(promise: nil)
                exchange.upstream = nil
            }
            exchange.finishAttempt(status: exchange.responseStatus, now: .now(), recordForLog: shared.accessLog != nil)
            logAccess(exchange, status: 499)
            self.exchange = nil
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func requestHead(_ head: RequestHead, context: ChannelHandlerContext) {
        headerTimer.headReceived()
        let now = NIODeadline.now()
        let host = head.hostName
        let requestID = head.givenRequestID.map(RequestID.given) ?? requestIDs.make()
        requestBody = head.bodyFraming
        guard let pool = routeCache.lookup(host: host, in: shared.routes) else {
            respondLocally(LocalResponse(status: .badGateway, message: "no upstream for host '\(host)'", requestID: requestID.string),
                           head: head, host: host)
            return
        }
        let capacity = head.bytes.readableBytes + ForwardedHeaders.addedBytes(clientIP: clientIP, proto: listener.proto)
        var upstreamHead: ByteBuffer
        if var spare = spareHead {
            // The previous request's head: its storage is reused once nothing else holds it.
            spareHead = nil
            spare.clear(minimumCapacity: capacity)
            upstreamHead = spare
        } else {
            upstreamHead = context.channel.allocator.buffer(capacity: capacity)
        }
        ForwardedHeaders.upstreamRequest(head, clientIP: clientIP, proto: listener.proto, requestID: requestID, into: &upstreamHead)
        let exchange = ProxyExchange(
            clientHead: head, keepingHead: shared.accessLog != nil, upstreamHead: upstreamHead, requestID: requestID, host: host, pool: pool,
            hashKey: HashKeyExtraction.key(for: pool.balancerKind, head: head, clientIP: clientIP),
            retryBudget: retryBudget, now: now)
        self.exchange = exchange
        if let declared = head.contentLength, declared > settings.maxBodySize {
            failLocally(exchange, LocalResponse(status: .payloadTooLarge, message: "request body larger than \(settings.maxBodySize) bytes",
                                                requestID: requestID.string))
            return
        }
        if head.expectsContinue {
            // Answered here as nginx does: the body is streamed on anyway, and upstream
            // informational responses are not forwarded.
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")), promise: nil)
        }
        connectNextServer(exchange, lastFailure: nil, now: now)
    }

    private func requestBodyPart(_ part: ByteBuffer, dataBytes: Int) {
        guard let exchange else { return }
        exchange.requestBodyBytes += dataBytes
        if exchange.requestBodyBytes > settings.maxBodySize {
            requestBody = nil
            inbound = nil
            failLocally(exchange, LocalResponse(status: .payloadTooLarge, message: "request body larger than \(settings.maxBodySize) bytes",
                                                requestID: exchange.requestID.string))
            return
        }
        guard part.readableBytes > 0 else { return }
        if let upstream = exchange.upstream {
            upstream.handler.send(part)
            exchange.bodySentUpstream = true
            upstreamNeedsFlush = true
        } else {
            exchange.pendingBody.append(part)
        }
    }

    private func requestEnd() {
        guard let exchange else { return }
        exchange.requestEnded = true
        if let upstream = exchange.upstream {
            upstream.handler.flush()
            upstreamNeedsFlush = false
        }
    }
}
