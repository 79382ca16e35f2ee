import NIOCore
import NIOHTTP1

/// The response path: upstream parts to the client, completion, keep-alive on both sides.
extension ClientHandler: UpstreamDelegate {
    var clientIsWritable: Bool { context?.channel.isWritable ?? false }
    var isAwaitingResponse: Bool { exchange?.requestEnded ?? true }

    func upstreamResponse(_ part: HTTPClientResponsePart) {
        guard let exchange, let context else { return }
        switch part {
        case .head(let head):
            let status = Int(head.status.code)
            if exchange.idempotent, !exchange.hasBody, status == 502 || status == 503 || status == 504,
               exchange.mayRetry(tries: settings.tries, now: .now()) {
                exchange.discardingResponse = true
                exchange.responseStatus = status
                return
            }
            exchange.responseStatus = status
            exchange.responseHeadSent = true
            let keepAlive = exchange.keepAlive && (head.headers.contains(name: "content-length")
                || head.headers[canonicalForm: "transfer-encoding"].contains { $0.lowercased() == "chunked" }
                || exchange.clientHead.method == .HEAD || status == 204 || status == 304 || exchange.clientHead.version.minor > 0)
            context.write(wrapOutboundOut(.head(ForwardedHeaders.clientResponse(head, version: exchange.clientHead.version, keepAlive: keepAlive))),
                          promise: nil)
        case .body(let buffer):
            guard !exchange.discardingResponse else { return }
            exchange.responseBytes += buffer.readableBytes
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        case .end(let trailers):
            responseEnded(exchange, trailers: trailers, context: context)
        }
    }

    func upstreamReadComplete() { context?.flush() }

    func upstreamWritabilityChanged(writable: Bool) {
        if writable { releaseHeldRead() }
    }

    func upstreamFailed(_ reason: String, timedOut: Bool) {
        guard let exchange else { return }
        exchange.upstream = nil
        attemptFailed(exchange, reason: reason, timedOut: timedOut, nothingSent: false)
    }

    private func responseEnded(_ exchange: ProxyExchange, trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        let status = exchange.responseStatus ?? 502
        if let server = exchange.server { exchange.pool.record(.status(status), for: server, at: now) }
        exchange.finishAttempt(status: status, now: now, recordForLog: shared.accessLog != nil)
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.handler.detach()
            if upstream.handler.reusable && exchange.requestEnded { park(upstream) } else { upstream.channel.close(promise: nil) }
        }
        if exchange.discardingResponse {
            exchange.discardingResponse = false
            connectNextServer(exchange, lastFailure: LocalResponse(
                status: HTTPResponseStatus(statusCode: status), message: "upstream answered \(status)", requestID: exchange.requestID))
            return
        }
        let keepOpen = exchange.keepAlive && exchange.requestEnded
        logAccess(exchange, status: status)
        self.exchange = nil
        let closeAfter = !keepOpen
        context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
        if closeAfter {
            context.close(promise: nil)
        } else {
            readyForNextRequest()
        }
    }
}
