import NIOCore
import NIOHTTP1

/// The response path: upstream head and body bytes to the client, completion, keep-alive on both sides.
extension ClientConnection {
    /// `endsWithClose`: the body as passed on runs to the end of the connection.
    func upstreamResponseHead(_ head: ResponseHead, endsWithClose: Bool, dechunked: Bool) {
        guard let exchange else { return }
        let status = head.status
        if exchange.idempotent, !exchange.hasBody, status == 502 || status == 503 || status == 504,
           exchange.mayRetry(tries: settings.tries, now: loop.now) {
            exchange.discardingResponse = true
            exchange.responseStatus = status
            return
        }
        exchange.responseStatus = status
        exchange.responseHeadSent = true
        exchange.responseKeepsClient = !endsWithClose
        let keepAlive = exchange.keepAlive && !endsWithClose
        ForwardedHeaders.clientResponse(head, clientMinorVersion: exchange.clientMinorVersion, keepAlive: keepAlive,
                                        dropTransferEncoding: dechunked, into: &out)
    }

    func upstreamResponseBody(_ part: UnsafeRawBufferPointer) {
        guard let exchange, !exchange.discardingResponse else { return }
        exchange.responseBytes += part.count
        send(part)
    }

    func upstreamFailed(_ socket: UpstreamSocket, reason: String, timedOut: Bool) {
        guard upstream === socket, let exchange else { return }
        upstream = nil
        attemptFailed(exchange, reason: reason, timedOut: timedOut, nothingSent: false)
    }

    func upstreamResponseEnd(_ socket: UpstreamSocket) {
        guard upstream === socket, let exchange else { return }
        // The end arrived with the upstream's last read, whose time is at hand.
        let now = socket.lastRead
        let status = exchange.responseStatus ?? 502
        if let server = exchange.server { exchange.pool.record(.status(status), for: server, at: now) }
        exchange.finishAttempt(status: status, now: now, recordForLog: shared.accessLog != nil)
        upstream = nil
        socket.detach()
        if exchange.requestEnded {
            socket.park(limit: settings.keepalivePerServer, idleTimeout: upstreamIdleTimeout)
        } else {
            socket.close()
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
        if keepOpen {
            flushOut()
            readyForNextRequest()
        } else {
            closeAfterWriting()
        }
    }
}
