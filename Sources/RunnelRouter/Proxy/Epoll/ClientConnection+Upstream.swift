import NIOCore
import NIOHTTP1

/// Choosing a server, getting a connection to it (pooled or new) and retrying.
extension ClientConnection {
    func connectNextServer(_ exchange: ProxyExchange, lastFailure: LocalResponse?) {
        let now = loop.now
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
        if let pooled = loop.connectionPool.take(server.address) {
            attach(pooled, to: exchange)
            return
        }
        guard let address = server.socketAddress else {
            resolveAndConnect(server, exchange: exchange)
            return
        }
        connect(to: server, at: address, exchange: exchange)
    }

    func connect(to server: UpstreamServer, at address: SocketAddress, exchange: ProxyExchange) {
        do {
            connecting = try UpstreamSocket.connect(to: server, address: address, for: self, loop: loop, timeout: connectTimeout)
        } catch {
            attemptFailed(exchange, reason: "connect to \(server.address) failed: \(error)", timedOut: false, nothingSent: true)
        }
    }

    /// A server named by a host name: resolved off the loop (getaddrinfo blocks), then connected
    /// on it, if the exchange is still waiting.
    private func resolveAndConnect(_ server: UpstreamServer, exchange: ProxyExchange) {
        let waiting = LoopConfined((self, exchange))
        let host = server.spec.host, port = server.spec.port
        let loop = self.loop
        HostResolution.resolve(host: host, port: port) { result in
            loop.execute { _ in
                let (client, exchange) = waiting.value
                guard client.exchange === exchange, !client.isClosed else { return }
                switch result {
                case .success(let address): client.connect(to: server, at: address, exchange: exchange)
                case .failure(let error):
                    client.attemptFailed(exchange, reason: "connect to \(server.address) failed: \(error)", timedOut: false, nothingSent: true)
                }
            }
        }
    }

    func upstreamConnected(_ socket: UpstreamSocket) {
        guard connecting === socket, let exchange else { return }
        connecting = nil
        attach(socket, to: exchange)
    }

    func upstreamConnectFailed(_ socket: UpstreamSocket, reason: String) {
        guard connecting === socket, let exchange else { return }
        connecting = nil
        attemptFailed(exchange, reason: reason, timedOut: false, nothingSent: true)
    }

    private func attach(_ socket: UpstreamSocket, to exchange: ProxyExchange) {
        upstream = socket
        socket.attach(self, requestIsHead: exchange.isHeadRequest, dechunk: exchange.clientMinorVersion == 0, readTimeout: upstreamReadTimeout)
        socket.send(exchange.upstreamHead)
        for part in exchange.pendingBody {
            socket.send(part)
            exchange.bodySentUpstream = true
        }
        exchange.pendingBody = []
        // A body waiting in the client's socket can go now.
        if exchange.hasBody && !exchange.requestEnded { readAvailable() }
    }

    /// The upstream took all request bytes it was given: read more of the body.
    func upstreamDrained() {
        if exchange?.hasBody ?? false { readAvailable() }
    }

    /// An attempt failed before its response reached the client: retry when allowed, otherwise
    /// answer 502 (504 for a timeout). Once the request head went out, only an idempotent
    /// request is sent again: the server may have acted on it.
    func attemptFailed(_ exchange: ProxyExchange, reason: String, timedOut: Bool, nothingSent: Bool) {
        let now = loop.now
        closeUpstream()
        if let server = exchange.server { exchange.pool.record(.gatewayFailure(reason), for: server, at: now) }
        exchange.finishAttempt(status: timedOut ? 504 : 502, now: now, recordForLog: shared.accessLog != nil)
        let failure = LocalResponse(status: timedOut ? .gatewayTimeout : .badGateway, message: reason, requestID: exchange.requestID.string)
        if exchange.responseHeadSent {
            // Part of the response is with the client already: all that is left is to cut it short.
            logAccess(exchange, status: exchange.responseStatus ?? 502)
            self.exchange = nil
            closeAfterWriting()
            return
        }
        guard nothingSent || exchange.idempotent else {
            failLocally(exchange, failure)
            return
        }
        connectNextServer(exchange, lastFailure: failure)
    }
}

/// A value handed to another thread and back, touched only on its loop's thread.
/// `@unchecked Sendable`: the resolving thread only carries it; `value` is read in a job the
/// loop runs on its own thread, the only thread that ever touches what it holds.
struct LoopConfined<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
