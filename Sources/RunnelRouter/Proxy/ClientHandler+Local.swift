#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1

/// Answers the router makes itself, and the access log record of every request.
extension ClientHandler {
    /// A request with no route: answered at once; a body it carried is read and dropped only if
    /// the request declared it, then the connection closes (it cannot be trusted to be in step).
    func respondLocally(_ response: LocalResponse, head: HTTPRequestHead, hasBody: Bool, host: String) {
        guard let context else { return }
        let keepAlive = head.isKeepAlive && !hasBody
        writeLocal(response, version: head.version, keepAlive: keepAlive, context: context)
        shared.accessLog?.log(AccessRecord(
            timestampNanoseconds: Self.wallNanoseconds(), remoteAddr: clientIP, httpHost: host, method: head.method.rawValue,
            uri: head.uri, status: Int(response.status.code), bodyBytesSent: 0, requestLength: 0, requestTime: 0,
            upstreamAddrs: [], upstreamStatuses: [], upstreamResponseTimes: [], upstreamName: "",
            requestID: response.requestID ?? "", userAgent: head.headers.first(name: "user-agent") ?? "",
            referer: head.headers.first(name: "referer") ?? "", forwardedFor: head.headers.first(name: "x-forwarded-for") ?? ""))
        if keepAlive {
            headerTimer.awaitNextRequest()
        } else if hasBody {
            discardingRequest = true
        } else {
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
            context.close(promise: nil)
            return
        }
        let keepAlive = exchange.keepAlive && exchange.requestEnded
        writeLocal(response, version: exchange.clientHead.version, keepAlive: keepAlive, context: context)
        if keepAlive {
            readyForNextRequest()
        } else {
            context.close(promise: nil)
        }
    }

    /// The exchange ended and the connection stays open: serve requests that were pipelined
    /// behind it, then read again.
    func readyForNextRequest() {
        headerTimer.awaitNextRequest()
        while let context, context.channel.isActive, exchange?.requestEnded != true, let part = queuedParts.popFirst() {
            handle(part, context: context)
        }
        if upstreamNeedsFlush, let upstream = exchange?.upstream {
            upstreamNeedsFlush = false
            upstream.handler.flush()
        }
        releaseHeldRead()
    }

    func writeLocal(_ response: LocalResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        let body = response.body
        context.write(wrapOutboundOut(.head(response.head(version: version, keepAlive: keepAlive, bodyLength: body.readableBytes))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func logAccess(_ exchange: ProxyExchange, status: Int) {
        guard let accessLog = shared.accessLog else { return }
        let head = exchange.clientHead
        accessLog.log(AccessRecord(
            timestampNanoseconds: Self.wallNanoseconds(), remoteAddr: clientIP, httpHost: exchange.host,
            method: head.method.rawValue, uri: head.uri, status: status, bodyBytesSent: exchange.responseBytes,
            requestLength: exchange.requestBodyBytes, requestTime: Double((NIODeadline.now() - exchange.started).nanoseconds) / 1e9,
            upstreamAddrs: exchange.upstreamAddrs, upstreamStatuses: exchange.upstreamStatuses,
            upstreamResponseTimes: exchange.upstreamTimes, upstreamName: exchange.pool.name, requestID: exchange.requestID,
            userAgent: head.headers.first(name: "user-agent") ?? "", referer: head.headers.first(name: "referer") ?? "",
            forwardedFor: exchange.upstreamHead.headers.first(name: "x-forwarded-for") ?? ""))
    }

    static func wallNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
