import NIOCore
import NIOHTTP1
import NIOPosix

/// Choosing a server, getting a connection to it (pooled or new) and retrying.
extension ClientHandler {
    /// `now`: when the caller has just read the clock.
    func connectNextServer(_ exchange: ProxyExchange, lastFailure: LocalResponse?, now: NIODeadline? = nil) {
        let now = now ?? .now()
        guard exchange.triedCount == 0 || exchange.mayRetry(tries: settings.tries, now: now),
              let server = exchange.pool.choose(hashKey: exchange.hashKey, at: now, wasTried: { exchange.wasTried($0) }) else {
            failLocally(exchange, lastFailure ?? LocalResponse(
                status: .serviceUnavailable, message: "no available server in upstream '\(exchange.pool.name)'", requestID: exchange.requestID.string))
            return
        }
        exchange.addTried(server)
        exchange.server = server
        exchange.attemptStarted = now
        server.activeRequests.add(1, ordering: .relaxed)
        guard let context else { return }
        if let pooled = connectionPool?.take(server.address) {
            // Inside the client's read, channelReadComplete flushes, together with any body.
            attach(pooled, to: exchange, flushNow: !inClientRead, now: now)
            return
        }
        let address = server.address
        let connect = ClientBootstrap(group: context.eventLoop)
            .connectTimeout(settings.connectTimeout.timeAmount)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [readTimeout = settings.upstreamReadTimeout] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamHandler(readTimeout: readTimeout.timeAmount))
                }
            }
        let future = server.socketAddress.map { connect.connect(to: $0) } ?? connect.connect(host: server.spec.host, port: server.spec.port)
        let bound = NIOLoopBound((self, exchange), eventLoop: context.eventLoop)
        future.whenComplete { result in
            let (handler, exchange) = bound.value
            switch result {
            case .success(let channel):
                guard let upstreamHandler = try? channel.pipeline.syncOperations.handler(type: UpstreamHandler.self) else {
                    channel.close(promise: nil)
                    return
                }
                let connection = UpstreamConnection(channel: channel, handler: upstreamHandler, address: address)
                guard handler.exchange === exchange else {
                    // The client went away while connecting; keep the fresh connection for others.
                    handler.park(connection)
                    return
                }
                handler.attach(connection, to: exchange, flushNow: true, now: .now())
            case .failure(let error):
                guard handler.exchange === exchange else { return }
                handler.attemptFailed(exchange, reason: "connect to \(address) failed: \(error)", timedOut: false, nothingSent: true)
            }
        }
    }

    private func attach(_ connection: UpstreamConnection, to exchange: ProxyExchange, flushNow: Bool, now: NIODeadline) {
        exchange.upstream = connection
        connection.handler.attach(self, requestIsHead: exchange.isHeadRequest, dechunk: exchange.clientMinorVersion == 0, now: now)
        let channel = connection.channel
        connection.handler.send(exchange.upstreamHead)
        for part in exchange.pendingBody {
            connection.handler.send(part)
            exchange.bodySentUpstream = true
        }
        exchange.pendingBody = []
        if flushNow { connection.handler.flush() } else { upstreamNeedsFlush = true }
        if channel.isWritable { releaseHeldRead() }
    }

    func park(_ connection: UpstreamConnection, at now: NIODeadline? = nil) {
        guard let pool = connectionPool else {
            connection.channel.close(promise: nil)
            return
        }
        pool.park(connection, limit: settings.keepalivePerServer, idleTimeout: upstreamIdleTimeout, at: now ?? .now())
    }

    /// An attempt failed before its response reached the client: retry when allowed, otherwise
    /// answer 502 (504 for a timeout). Once the request head went out, only an idempotent
    /// request is sent again: the server may have acted on it.
    func attemptFailed(_ exchange: ProxyExchange, reason: String, timedOut: Bool, nothingSent: Bool) {
        let now = NIODeadline.now()
        if let upstream = exchange.upstream {
            upstream.handler.detach()
            upstream.channel.close(promise: nil)
            exchange.upstream = nil
        }
        if let server = exchange.server { exchange.pool.record(.gatewayFailure(reason), for: server, at: now) }
        exchange.finishAttempt(status: timedOut ? 504 : 502, now: now, recordForLog: shared.accessLog != nil)
        let failure = LocalResponse(status: timedOut ? .gatewayTimeout : .badGateway, message: reason, requestID: exchange.requestID.string)
        if exchange.responseHeadSent {
            // Part of the response is with the client already: all that is left is to cut it short.
            logAccess(exchange, status: exchange.responseStatus ?? 502)
            self.exchange = nil
            context?.close(promise: nil)
            return
        }
        guard nothingSent || exchange.idempotent else {
            failLocally(exchange, failure)
            return
        }
        connectNextServer(exchange, lastFailure: failure)
    }
}
