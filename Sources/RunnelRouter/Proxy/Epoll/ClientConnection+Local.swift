#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Answers the router makes itself, and the access log record of every request.
extension ClientConnection {
    /// A request with no route: answered at once; a body it carried is read and dropped only if
    /// the request declared it, then the connection closes (it cannot be trusted to be in step).
    func respondLocally(_ response: LocalResponse, head: RequestHead, host: String) {
        let keepAlive = head.keepAlive && !head.hasBody
        out.writeImmutableBuffer(response.rawBytes(minorVersion: head.minorVersion, keepAlive: keepAlive))
        if let accessLog = shared.accessLog {
            accessLog.log(AccessRecord(
                timestampNanoseconds: AccessRecord.wallNanoseconds(), remoteAddr: clientIP, httpHost: host, method: head.methodString,
                uri: head.target, status: Int(response.status.code), bodyBytesSent: 0, requestLength: 0, requestTime: 0,
                upstreamAddrs: [], upstreamStatuses: [], upstreamResponseTimes: [], upstreamName: "",
                requestID: response.requestID ?? "", userAgent: head.firstValue("user-agent") ?? "",
                referer: head.firstValue("referer") ?? "", forwardedFor: head.values("x-forwarded-for").joined(separator: ", ")))
        }
        if keepAlive {
            flushOut()
            awaitNextRequest()
        } else if head.hasBody {
            discardingRequest = true
            flushOut()
        } else {
            inbound.moveReaderIndex(to: inbound.writerIndex)
            closeAfterWriting()
        }
    }

    /// The exchange cannot be completed (no server, too large, all attempts failed).
    func failLocally(_ exchange: ProxyExchange, _ response: LocalResponse) {
        closeUpstream()
        exchange.finishAttempt(status: nil, now: loop.now, recordForLog: shared.accessLog != nil)
        logAccess(exchange, status: Int(response.status.code))
        self.exchange = nil
        if exchange.responseHeadSent {
            closeAfterWriting()
            return
        }
        let keepAlive = exchange.keepAlive && exchange.requestEnded
        out.writeImmutableBuffer(response.rawBytes(minorVersion: exchange.clientMinorVersion, keepAlive: keepAlive))
        if keepAlive {
            flushOut()
            readyForNextRequest()
        } else {
            inbound.moveReaderIndex(to: inbound.writerIndex)
            closeAfterWriting()
        }
    }

    /// The exchange ended and the connection stays open: serve requests that were pipelined
    /// behind it, then read again.
    func readyForNextRequest() {
        guard !isClosed else { return }
        awaitNextRequest()
        processInbound()
        readAvailable()
    }

    func logAccess(_ exchange: ProxyExchange, status: Int) {
        guard let accessLog = shared.accessLog, let head = exchange.clientHead else { return }
        let forwardedFor = (head.values("x-forwarded-for") + [clientIP]).joined(separator: ", ")
        accessLog.log(AccessRecord(
            timestampNanoseconds: AccessRecord.wallNanoseconds(), remoteAddr: clientIP, httpHost: exchange.host,
            method: head.methodString, uri: head.target, status: status, bodyBytesSent: exchange.responseBytes,
            requestLength: exchange.requestBodyBytes, requestTime: Double((NIODeadline.now() - exchange.started).nanoseconds) / 1e9,
            upstreamAddrs: exchange.upstreamAddrs, upstreamStatuses: exchange.upstreamStatuses,
            upstreamResponseTimes: exchange.upstreamTimes, upstreamName: exchange.pool.name, requestID: exchange.requestID.string,
            userAgent: head.firstValue("user-agent") ?? "", referer: head.firstValue("referer") ?? "",
            forwardedFor: forwardedFor))
    }
}
