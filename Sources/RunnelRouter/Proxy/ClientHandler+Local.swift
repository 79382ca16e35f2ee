#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Answers the router makes itself, and the access log record of every request.
extension ClientHandler {
    /// A request with no route: answered at once; a body it carried is read and dropped only if
    /// the request declared it, then the connection closes (it cannot be trusted to be in step).
    func respondLocally(_ response: LocalResponse, head: RequestHead, host: String) {
        guard let context else { return }
        let keepAlive = head.keepAlive && !head.hasBody
        writeLocal(response, minorVersion: head.minorVersion, keepAlive: keepAlive, context: context)
        if let accessLog = shared.accessLog {
            accessLog.log(AccessRecord(
                timestampNanoseconds: Self.wallNanoseconds(), remoteAddr: clientIP, httpHost: host, method: head.methodString,
                uri: head.target, status: Int(response.status.code), bodyBytesSent: 0, requestLength: 0, requestTime: 0,
                upstreamAddrs: [], upstreamStatuses: [], upstreamResponseTimes: [], upstreamName: "",
                requestID: response.requestID ?? "", userAgent: head.firstValue("user-agent") ?? "",
                referer: head.firstValue("referer") ?? "", forwardedFor: head.values("x-forwarded-for").joined(separator: ", ")))
        }
        if keepAlive {
            headerTimer.awaitNextRequest()
        } else if head.hasBody {
            discardingRequest = true
        } else {
            inbound = nil
            context.close(promise: nil)
        }
    }

    /// The exchange cannot be completed (no server, too large, all attempts failed).
    func failLocally(_ exchange: ProxyExchange, _ response: LocalResponse) {
        guard let context else { return }
        if let upstream = exchange.upstream {
            upstream.handler.detach()
            upstream.channel.close(promise: nil)
            exchange.upstream = nil
        }
        exchange.finishAttempt(status: nil, now: .now(), recordForLog: shared.accessLog != nil)
        logAccess(exchange, status: Int(response.status.code))
        self.exchange = nil
        if exchange.responseHeadSent {
            closeClient(context)
            return
        }
        let keepAlive = exchange.keepAlive && exchange.requestEnded
        writeLocal(response, minorVersion: exchange.clientMinorVersion, keepAlive: keepAlive, context: context)
        if keepAlive {
            readyForNextRequest()
        } else {
            closeClient(context)
        }
    }

    func closeClient(_ context: ChannelHandlerContext) {
        inbound = nil
        requestBody = nil
        pendingOut = nil
        context.close(promise: nil)
    }

    /// The exchange ended and the connection stays open: serve requests that were pipelined
    /// behind it, then read again.
    func readyForNextRequest(now: NIODeadline? = nil) {
        headerTimer.awaitNextRequest(now: now)
        processInbound()
        if upstreamNeedsFlush, let upstream = exchange?.upstream {
            upstreamNeedsFlush = false
            upstream.handler.flush()
        }
        releaseHeldRead()
    }

    func writeLocal(_ response: LocalResponse, minorVersion: Int, keepAlive: Bool, context: ChannelHandlerContext) {
        writePendingOut(context)
        context.writeAndFlush(wrapOutboundOut(response.rawBytes(minorVersion: minorVersion, keepAlive: keepAlive)), promise: nil)
    }

    func writePendingOut(_ context: ChannelHandlerContext) {
        if let pending = pendingOut {
            pendingOut = nil
            context.write(wrapOutboundOut(pending), promise: nil)
            spareOut = pending
        }
    }

    /// An empty buffer for the next response head: the last one's storage once the socket
    /// has let go of it (no allocation), a new one otherwise.
    func outBuffer(capacity: Int, context: ChannelHandlerContext) -> ByteBuffer {
        guard var spare = spareOut else { return context.channel.allocator.buffer(capacity: capacity) }
        spareOut = nil
        spare.clear(minimumCapacity: capacity)
        return spare
    }

    func logAccess(_ exchange: ProxyExchange, status: Int) {
        guard let accessLog = shared.accessLog, let head = exchange.clientHead else { return }
        let forwardedFor = (head.values("x-forwarded-for") + [clientIP]).joined(separator: ", ")
        accessLog.log(AccessRecord(
            timestampNanoseconds: Self.wallNanoseconds(), remoteAddr: clientIP, httpHost: exchange.host,
            method: head.methodString, uri: head.target, status: status, bodyBytesSent: exchange.responseBytes,
            requestLength: exchange.requestBodyBytes, requestTime: Double((NIODeadline.now() - exchange.started).nanoseconds) / 1e9,
            upstreamAddrs: exchange.upstreamAddrs, upstreamStatuses: exchange.upstreamStatuses,
            upstreamResponseTimes: exchange.upstreamTimes, upstreamName: exchange.pool.name, requestID: exchange.requestID.string,
            userAgent: head.firstValue("user-agent") ?? "", referer: head.firstValue("referer") ?? "",
            forwardedFor: forwardedFor))
    }

    static func wallNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
