import NIOCore
import NIOHTTP1

/// The end of a client connection's pipeline: routes each request by Host, streams it to an
/// upstream connection and streams the response back, holding reads on whichever side is ahead
/// so neither body is ever buffered whole.
final class ClientHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let shared: ProxyShared
    let listener: ListenerConfig
    let settings: ProxyDefaults
    let headerTimer: HeaderTimeoutHandler
    var context: ChannelHandlerContext?
    var clientIP = "-"
    var exchange: ProxyExchange?
    /// A read the client asked for while the upstream could not take more bytes.
    var readHeld = false
    var upstreamNeedsFlush = false
    /// Between channelRead and channelReadComplete: writes upstream can wait for the latter's flush.
    var inClientRead = false
    /// The request body still arriving after a local response: dropped, then the connection closes.
    var discardingRequest = false
    var requestIDs = RequestIDGenerator()
    /// Parts of pipelined requests read while a response was in progress (HTTP/1.1 answers in
    /// order); reading pauses when this many wait.
    var queuedParts = CircularBuffer<HTTPServerRequestPart>()
    static let maxQueuedParts = 64

    init(shared: ProxyShared, listener: ListenerConfig, settings: ProxyDefaults, headerTimer: HeaderTimeoutHandler) {
        self.shared = shared
        self.listener = listener
        self.settings = settings
        self.headerTimer = headerTimer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientIP = context.channel.remoteAddress?.ipAddress ?? "-"
    }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inClientRead = true
        let part = unwrapInboundIn(data)
        if !queuedParts.isEmpty || exchange?.requestEnded == true {
            // A pipelined request: it waits until the response in progress is complete.
            queuedParts.append(part)
            return
        }
        handle(part, context: context)
    }

    func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head): requestHead(head, context: context)
        case .body(let buffer): requestBody(buffer, context: context)
        case .end: requestEnd(context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inClientRead = false
        if upstreamNeedsFlush, let upstream = exchange?.upstream {
            upstreamNeedsFlush = false
            upstream.handler.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if queuedParts.count >= Self.maxQueuedParts {
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
        if let parserError = error as? HTTPParserError {
            // The request cannot be parsed, so the connection is out of step: answer and close.
            let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
            let message = parserError == .headerOverflow ? "request headers too large" : "malformed request"
            // With a request in flight an answer now would interleave with its response.
            if exchange == nil {
                writeLocal(LocalResponse(status: status, message: message), version: .http1_1, keepAlive: false, context: context)
            }
        }
        context.close(promise: nil)
    }

    private func requestHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        headerTimer.headReceived()
        let declaredLength = head.headers.first(name: "content-length").flatMap(Int.init) ?? 0
        let host = HostName.normalize(head.headers.first(name: "host") ?? "")
        let (upstreamHead, requestID) = ForwardedHeaders.upstreamRequest(
            head, clientIP: clientIP, proto: listener.proto, newRequestID: { requestIDs.make() })
        guard let pool = shared.routes.lookup(host: host) else {
            respondLocally(LocalResponse(status: .badGateway, message: "no upstream for host '\(host)'", requestID: requestID),
                           head: head, hasBody: declaredLength > 0 || head.headers.contains(name: "transfer-encoding"), host: host)
            return
        }
        let exchange = ProxyExchange(
            clientHead: head, upstreamHead: upstreamHead, requestID: requestID, host: host, pool: pool,
            hashKey: HashKeyExtraction.key(for: pool.balancerKind, head: head, clientIP: clientIP),
            retryBudget: settings.retryBudget.timeAmount)
        self.exchange = exchange
        guard declaredLength <= settings.maxBodySize else {
            failLocally(exchange, LocalResponse(status: .payloadTooLarge, message: "request body larger than \(settings.maxBodySize) bytes", requestID: requestID))
            return
        }
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            // Answered here as nginx does: the body is streamed on anyway, and upstream
            // informational responses are not forwarded.
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
        }
        connectNextServer(exchange, lastFailure: nil)
    }

    private func requestBody(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        guard let exchange, !discardingRequest else { return }
        exchange.requestBodyBytes += buffer.readableBytes
        if exchange.requestBodyBytes > settings.maxBodySize {
            failLocally(exchange, LocalResponse(status: .payloadTooLarge, message: "request body larger than \(settings.maxBodySize) bytes", requestID: exchange.requestID))
            return
        }
        if let upstream = exchange.upstream {
            upstream.handler.send(.body(.byteBuffer(buffer)))
            exchange.bodySentUpstream = true
            upstreamNeedsFlush = true
        } else {
            exchange.pendingBody.append(buffer)
        }
    }

    private func requestEnd(context: ChannelHandlerContext) {
        if discardingRequest {
            // The local answer went out already; the body it refused is now fully read.
            discardingRequest = false
            context.close(promise: nil)
            return
        }
        guard let exchange else { return }
        exchange.requestEnded = true
        if let upstream = exchange.upstream {
            upstream.handler.send(.end(nil), flush: true)
            upstreamNeedsFlush = false
        }
    }
}
