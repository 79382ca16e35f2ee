#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A connection to one upstream server on one loop: connects, writes request bytes (keeping what
/// the socket did not take), reads the response (head parsed in place, body framed by length,
/// chunks or close) and hands it to the client connection it serves. Parked in its loop's pool
/// between requests. Deadlines: connect timeout, then read timeout while a response is awaited,
/// then idle timeout while parked.
///
/// Stored properties are `@exclusivity(unchecked)` for the reason and on the grounds given at
/// `ClientConnection`: loop-confined, and no access spans a call touching the same property.
final class UpstreamSocket: TimerOwner {
    enum Phase { case connecting, serving, parked }

    let fd: Int32
    let address: String
    /// Unowned: a loop closes every socket it holds before its thread ends, so it outlives them.
    unowned(unsafe) let loop: EpollLoop
    @exclusivity(unchecked) private(set) var phase = Phase.connecting
    /// The client connection being served (or waiting for the connect); nil while parked. Strong,
    /// and cleared by every path that ends an exchange, which breaks the cycle.
    @exclusivity(unchecked) private(set) var client: ClientConnection?
    @exclusivity(unchecked) private var readTimeout = TimeAmount.seconds(60)
    /// When bytes last arrived: the response's end for the client's bookkeeping, too.
    @exclusivity(unchecked) private(set) var lastRead = NIODeadline.now()
    /// Set once the server said `Connection: close` or anything went wrong.
    @exclusivity(unchecked) private(set) var reusable = true
    /// The socket reported readable and was not drained yet (edge-triggered: no new report comes
    /// until it is).
    @exclusivity(unchecked) private var readReady = false
    @exclusivity(unchecked) private var peerClosed = false
    /// Response bytes read and not handled yet (a head still incomplete).
    @exclusivity(unchecked) private var inbound = ByteBuffer()
    /// Request bytes the socket has not taken yet; reading the client waits while there are any.
    @exclusivity(unchecked) private var out = ByteBuffer()
    @exclusivity(unchecked) private var body: BodyFraming?
    @exclusivity(unchecked) private var requestIsHead = false
    @exclusivity(unchecked) private var dechunk = false
    @exclusivity(unchecked) private var dechunking = false
    /// Longest response head accepted from an upstream.
    static let maxHeadSize = 64 * 1024
    static let readSize = 16 * 1024

    init(fd: Int32, address: String, loop: EpollLoop) {
        self.fd = fd
        self.address = address
        self.loop = loop
    }

    /// Starts connecting for `client`, who hears of the outcome through `upstreamConnected` or
    /// `upstreamConnectFailed`.
    static func connect(to server: UpstreamServer, address socketAddress: SocketAddress, for client: ClientConnection,
                        loop: EpollLoop, timeout: TimeAmount) throws -> UpstreamSocket {
        let fd = try SocketCalls.connect(to: socketAddress)
        let socket = UpstreamSocket(fd: fd, address: server.address, loop: loop)
        socket.client = client
        loop.register(socket, fd: fd, events: SocketCalls.connectionEvents)
        loop.timers.set(socket, to: loop.now + timeout)
        return socket
    }

    var hasUnsentBytes: Bool { out.readableBytes > 0 }

    override func ready(_ events: UInt32) {
        if phase == .connecting {
            guard events & (SocketCalls.epollOut | SocketCalls.epollErr | SocketCalls.epollHup) != 0 else { return }
            connectFinished()
            if isClosed { return }
        }
        if events & SocketCalls.epollOut != 0 && out.readableBytes > 0 { flush() }
        if events & SocketCalls.readableEvents != 0 {
            readReady = true
            if events & SocketCalls.peerGoneEvents != 0 { peerClosed = true }
            readAvailable()
        }
    }

    private func connectFinished() {
        let code = SocketCalls.pendingError(fd)
        guard let client else {
            if code == 0, let keepaliveLimit = abandonedKeepalive {
                // The client went away while connecting; the fresh connection serves others.
                phase = .serving
                park(limit: keepaliveLimit.limit, idleTimeout: keepaliveLimit.idleTimeout)
            } else {
                close()
            }
            return
        }
        guard code == 0 else {
            failConnect("connect to \(address) failed: \(String(cString: strerror(code)))")
            return
        }
        phase = .serving
        loop.timers.clear(self)
        client.upstreamConnected(self)
    }

    /// Starts serving a request for `client` (just connected or taken from the pool).
    func attach(_ client: ClientConnection, requestIsHead: Bool, dechunk: Bool, readTimeout: TimeAmount) {
        self.client = client
        self.requestIsHead = requestIsHead
        self.dechunk = dechunk
        self.readTimeout = readTimeout
        phase = .serving
        body = nil
        lastRead = loop.now
        loop.timers.set(self, to: lastRead + readTimeout)
    }

    /// Writes request bytes, keeping what the socket does not take.
    func send(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed else { return }
        if out.readableBytes > 0 || phase == .connecting {
            out.writeBytes(bytes)
            return
        }
        let written = SocketCalls.write(fd, bytes)
        if written == bytes.count { return }
        if written < 0 {
            fail("upstream write failed")
            return
        }
        out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[written...]))
    }

    func send(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { send($0) }
    }

    /// Writes what `out` holds; tells the client when it is all gone (it may read again).
    private func flush() {
        let written = out.withUnsafeReadableBytes { SocketCalls.write(fd, $0) }
        if written < 0 {
            fail("upstream write failed")
            return
        }
        out.moveReaderIndex(forwardBy: written)
        if out.readableBytes == 0 {
            out.clear()
            client?.upstreamDrained()
        }
    }

    /// Reads while the socket has bytes and the client can take them.
    func readAvailable() {
        while readReady && !isClosed {
            if phase == .serving, let client, client.isBacklogged { return }
            switch SocketCalls.read(fd, into: &inbound, size: Self.readSize) {
            case .bytes(let drained):
                if drained && !peerClosed { readReady = false }
                bytesArrived()
            case .wouldBlock:
                readReady = false
                if peerClosed { endOfStream() }
            case .interrupted:
                continue
            case .endOfStream:
                readReady = false
                endOfStream()
            case .failed(let code):
                readReady = false
                fail("upstream read failed: \(String(cString: strerror(code)))")
            }
        }
    }

    private func bytesArrived() {
        guard phase == .serving, let client else {
            // Bytes on a parked connection: the server is not speaking HTTP in step with us.
            close()
            return
        }
        lastRead = loop.now
        loop.timers.set(self, to: lastRead + readTimeout)
        while self.client != nil, !isClosed, inbound.readableBytes > 0 {
            if body != nil {
                readBody(client)
            } else if !readHead(client) {
                break
            }
        }
        if inbound.readableBytes == 0 { inbound.clear() }
        client.flushOut()
    }

    private func readHead(_ client: ClientConnection) -> Bool {
        guard let length = inbound.withUnsafeReadableBytes({ HeadScanner.headLength($0, from: 0) }) else {
            if inbound.readableBytes > Self.maxHeadSize { fail("malformed response from upstream (head larger than \(Self.maxHeadSize) bytes)") }
            return false
        }
        guard let framing = forwardHead(length: length, to: client) else { return !isClosed }
        if framing.isDone {
            finishResponse()
        } else {
            body = framing
        }
        return true
    }

    /// Parses the head and hands it to the client; nil for an informational head (skipped) or a
    /// failure. The head's slice of `inbound` ends with this call, so the buffer stays unshared.
    private func forwardHead(length: Int, to client: ClientConnection) -> BodyFraming? {
        let head: ResponseHead
        do {
            head = try ResponseHead.parse(inbound.readSlice(length: length)!)
        } catch {
            fail("malformed response from upstream (\(error))")
            return nil
        }
        if head.status < 200 {
            // Informational answers are not forwarded (the router answers 100-continue itself);
            // a protocol switch cannot be followed.
            if head.status == 101 { fail("upstream switched protocols") }
            return nil
        }
        if !head.keepsConnection { reusable = false }
        var framing: BodyFraming
        if requestIsHead || head.status == 204 || head.status == 304 {
            framing = .length(0)
        } else if head.chunked {
            framing = .chunked
        } else if head.transferEncoding {
            framing = .untilClose
        } else if let length = head.contentLength {
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        if framing.endsWithClose { reusable = false }
        dechunking = dechunk && head.chunked
        client.upstreamResponseHead(head, endsWithClose: framing.endsWithClose || dechunking, dechunked: dechunking)
        return framing
    }

    private func readBody(_ client: ClientConnection) {
        var framing = body!
        let dechunking = self.dechunking
        let used: Int
        do {
            used = try inbound.withUnsafeReadableBytes { raw in
                let used = try framing.consume(raw) { range in
                    if dechunking && !range.isEmpty { client.upstreamResponseBody(UnsafeRawBufferPointer(rebasing: raw[range])) }
                }
                if !dechunking && used > 0 { client.upstreamResponseBody(UnsafeRawBufferPointer(rebasing: raw[0..<used])) }
                return used
            }
        } catch {
            fail("malformed response body from upstream (\(error))")
            return
        }
        inbound.moveReaderIndex(forwardBy: used)
        body = framing.isDone ? nil : framing
        if framing.isDone { finishResponse() }
    }

    /// The response is complete: bytes after it mean the server is out of step.
    private func finishResponse() {
        if inbound.readableBytes > 0 { reusable = false }
        inbound.moveReaderIndex(to: inbound.writerIndex)
        body = nil
        client?.upstreamResponseEnd(self)
    }

    private func endOfStream() {
        reusable = false  // before the response ends: the connection is not parked
        if let body, body.endsWithClose, client != nil {
            // A body without length or chunks ends with the connection.
            finishResponse()
        }
        fail("upstream closed the connection")
    }

    /// Closes the connection; a client still served hears why.
    private func fail(_ reason: String, timedOut: Bool = false) {
        reusable = false
        let client = self.client
        self.client = nil
        close()
        client?.upstreamFailed(self, reason: reason, timedOut: timedOut)
    }

    /// Closes a connection that did not come up; a client still waiting for it hears why.
    private func failConnect(_ reason: String) {
        let client = self.client
        self.client = nil
        close()
        client?.upstreamConnectFailed(self, reason: reason)
    }

    override func deadlineReached(now: NIODeadline) {
        switch phase {
        case .connecting:
            failConnect("connect to \(address) timed out")
        case .serving:
            guard let client else { return }
            if client.isAwaitingResponse {
                fail("upstream read timed out", timedOut: true)
            } else {
                // Still sending the request body: the silence is expected; look again later.
                loop.timers.set(self, to: now + readTimeout)
            }
        case .parked:
            close()
        }
    }

    /// Set when the client gave up while connecting: where the connection is parked when done.
    @exclusivity(unchecked) private var abandonedKeepalive: (limit: Int, idleTimeout: TimeAmount)?

    /// The client no longer waits for this connect.
    func abandon(keepaliveLimit: Int, idleTimeout: TimeAmount) {
        client = nil
        abandonedKeepalive = (keepaliveLimit, idleTimeout)
    }

    /// Stops serving the client (its exchange ended); the caller parks or closes the connection.
    func detach() {
        client = nil
        body = nil
        inbound.moveReaderIndex(to: inbound.writerIndex)
    }

    /// Parks the connection in its loop's pool, or closes it when the pool is full.
    func park(limit: Int, idleTimeout: TimeAmount) {
        guard !isClosed else { return }
        guard reusable, out.readableBytes == 0, loop.connectionPool.park(self, limit: limit) else {
            close()
            return
        }
        phase = .parked
        loop.timers.set(self, to: loop.now + idleTimeout)
    }

    /// The client resumed taking bytes: read what was held back.
    func resumeReading() {
        if readReady { readAvailable() }
    }

    override func closeForStop() { close() }

    func close() {
        guard !isClosed else { return }
        reusable = false
        if phase == .parked { loop.connectionPool.remove(self) }
        loop.close(self, fd: fd)
    }
}
