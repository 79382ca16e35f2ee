import NIOCore
import NIOHTTP1

/// The response path: upstream head and body bytes to the client, completion, keep-alive on both sides.
extension ClientHandler {
    var clientIsWritable: Bool { context?.channel.isWritable ?? false }
    var isAwaitingResponse: Bool { exchange?.requestEnded ?? true }

    /// `endsWithClose`: the body as passed on runs to the end of the connection.
    func upstreamResponseHead(_ head: ResponseHead, endsWithClose: Bool, dechunked: Bool) {
        guard let exchange, let context else { return }
        let status = head.status
        if exchange.idempotent, !exchange.hasBody, status == 502 || status == 503 || status == 504,
           exchange.mayRetry(tries: settings.tries, now: .now()) {
            exchange.discardingResponse = true
            exchange.responseStatus = status
            return
        }
        exchange.responseStatus = status
        exchange.responseHeadSent = true
        exchange.responseKeepsClient = !endsWithClose
        let keepAlive = exchange.keepAlive && !endsWithClose
        let smallBody = head.contentLength.map { $0 <= Self.gatheredBodyLimit ? $0 : 0 } ?? 0
        writePendingOut(context)
        var out = outBuffer(capacity: head.bytes.readableBytes + 32 + smallBody, context: context)
        ForwardedHeaders.clientResponse(head, clientMinorVersion: exchange.clientMinorVersion, keepAlive: keepAlive,
                                        dropTransferEncoding: dechunked, into: &out)
        pendingOut = out
    }

    func upstreamResponseBody(_ part: ByteBuffer) {
        guard let exchange, let context, !exchange.discardingResponse else { return }
        exchange.responseBytes += part.readableBytes
        if pendingOut != nil, part.readableBytes <= Self.gatheredBodyLimit {
            var part = part
            pendingOut!.writeBuffer(&part)
        } else {
            writePendingOut(context)
            context.write(wrapOutboundOut(part), promise: nil)
            unflushed = true
        }
    }

    /// Flushes what this read of the upstream produced; nothing when the response's end did already.
    func upstreamReadComplete() {
        guard let context, unflushed || pendingOut != nil else { return }
        writePendingOut(context)
        unflushed = false
        context.flush()
    }

    func upstreamWritabilityChanged(writable: Bool) {
        if writable { releaseHeldRead() }
    }

    func upstreamFailed(_ reason: String, timedOut: Bool) {
        guard let exchange else { return }
        exchange.upstream = nil
        attemptFailed(exchange, reason: reason, timedOut: timedOut, nothingSent: false)
    }

    func upstreamResponseEnd() {
        guard let exchange, let context else { return }
        // The end arrived with the upstream's last read, whose time is at hand.
        let now = exchange.upstream?.handler.lastRead ?? .now()
        let status = exchange.responseStatus ?? 502
        if let server = exchange.server { exchange.pool.record(.status(status), for: server, at: now) }
        exchange.finishAttempt(status: status, now: now, recordForLog: shared.accessLog != nil)
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.handler.detach()
            if upstream.handler.reusable && exchange.requestEnded { park(upstream, at: now) } else { upstream.channel.close(promise: nil) }
        }
        if exchange.discardingResponse {
            exchange.discardingResponse = false
            connectNextServer(exchange, lastFailure: LocalResponse(
                status: HTTPResponseStatus(statusCode: status), message: "upstream answered \(status)", requestID: exchange.requestID.string))
            return
        }
        let keepOpen = exchange.keepAlive && exchange.requestEnded && exchange.responseKeepsClient
        logAccess(exchange, status: status)
        self.exchange = nil
        spareHead = exchange.upstreamHead
        writePendingOut(context)
        unflushed = false
        context.flush()
        if keepOpen {
            readyForNextRequest(now: now)
        } else {
            closeClient(context)
        }
    }
}
