#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1

/// One client connection on one loop: reads HTTP/1.1 requests from the raw bytes, routes each by
/// Host, streams it to an upstream connection of the same loop and streams the response back,
/// holding reads on whichever side is ahead so neither body is ever buffered whole. Heads are
/// parsed in place and forwarded as spliced bytes; bodies are forwarded as the bytes they arrived
/// in. Its deadline is the header or idle timeout while it waits for a request head.
///
/// Stored properties are `@exclusivity(unchecked)` (the runtime checks cost about a tenth of the loop's
/// user time): the object is touched only on its loop's thread, and no access to a property
/// spans a call that touches the same property (buffer closures touch other properties only).
final class ClientConnection: TimerOwner {
    let fd: Int32
    /// Unowned: a loop closes every socket it holds before its thread ends, so it outlives them.
    unowned(unsafe) let loop: EpollLoop
    let shared: ProxyShared
    let listener: ListenerConfig
    let settings: ProxyDefaults
    let clientIP: String
    /// The settings' durations as NIO time, converted once per connection rather than per request.
    let retryBudget: TimeAmount
    let upstreamIdleTimeout: TimeAmount
    let upstreamReadTimeout: TimeAmount
    let connectTimeout: TimeAmount
    let headerTimeout: TimeAmount
    let idleTimeout: TimeAmount
    @exclusivity(unchecked) var exchange: ProxyExchange?
    /// The upstream connection serving the exchange, once connected.
    @exclusivity(unchecked) var upstream: UpstreamSocket?
    /// A connection being opened for the exchange.
    @exclusivity(unchecked) var connecting: UpstreamSocket?
    @exclusivity(unchecked) var requestIDs = RequestIDGenerator()
    @exclusivity(unchecked) var routeCache = RouteLookupCache()
    /// Bytes read and not handled yet: a head still incomplete, or requests pipelined behind the
    /// one being answered (HTTP/1.1 answers in order). Its storage is reused for every read.
    @exclusivity(unchecked) var inbound = ByteBuffer()
    /// Response bytes the socket has not taken yet (and a response head with small body parts
    /// gathered behind it until the upstream's read is handled).
    @exclusivity(unchecked) var out = ByteBuffer()
    /// The last write was short: the socket reports OUT when it can take more. The upstream is not
    /// read meanwhile.
    @exclusivity(unchecked) var awaitingWritable = false
    /// Where the body of the request being read ends, while it arrives.
    @exclusivity(unchecked) var requestBody: BodyFraming?
    /// The request body still arriving after a local response: dropped, then the connection closes.
    @exclusivity(unchecked) var discardingRequest = false
    /// Close once `out` is written (a final local answer).
    @exclusivity(unchecked) var closeWhenWritten = false
    /// The last upstream request head, whose storage is reused for the next one.
    @exclusivity(unchecked) var spareHead: ByteBuffer?
    @exclusivity(unchecked) private var readReady = false
    @exclusivity(unchecked) private var peerClosed = false
    @exclusivity(unchecked) private var processing = false
    @exclusivity(unchecked) private var headSearchedTo = 0
    @exclusivity(unchecked) private var waitingForHead = true
    @exclusivity(unchecked) private var headStarted = false
    /// Taken at the first read that left a head incomplete, so the usual head, complete in one
    /// read, costs no deadline change.
    @exclusivity(unchecked) private var headStart: NIODeadline?
    /// Reading pauses while this many bytes of pipelined requests wait.
    static let maxWaitingBytes = 64 * 1024
    /// Body parts up to this size are copied behind the response head instead of written apart.
    static let gatheredBodyLimit = 4096
    static let readSize = 16 * 1024

    init(fd: Int32, clientIP: String, loop: EpollLoop, shared: ProxyShared, listener: ListenerConfig, settings: ProxyDefaults) {
        self.fd = fd
        self.clientIP = clientIP
        self.loop = loop
        self.shared = shared
        self.listener = listener
        self.settings = settings
        retryBudget = settings.retryBudget.timeAmount
        upstreamIdleTimeout = settings.upstreamIdleTimeout.timeAmount
        upstreamReadTimeout = settings.upstreamReadTimeout.timeAmount
        connectTimeout = settings.connectTimeout.timeAmount
        headerTimeout = settings.clientHeaderTimeout.timeAmount
        idleTimeout = settings.clientIdleTimeout.timeAmount
    }

    /// Registers the accepted socket and starts waiting for its first request.
    func start() {
        loop.register(self, fd: fd, events: SocketCalls.connectionEvents)
        awaitNextRequest()
    }

    /// The upstream stops reading while the client's socket is full.
    var isBacklogged: Bool { awaitingWritable }
    var isAwaitingResponse: Bool { exchange?.requestEnded ?? true }

    override func ready(_ events: UInt32) {
        if events & SocketCalls.epollOut != 0 && awaitingWritable {
            awaitingWritable = false
            flushOut()
            if isClosed { return }
        }
        if events & SocketCalls.readableEvents != 0 {
            readReady = true
            if events & SocketCalls.peerGoneEvents != 0 { peerClosed = true }
            readAvailable()
        }
    }

    // MARK: Reading requests

    /// Reads while the socket has bytes and the request being served can take them.
    func readAvailable() {
        while readReady && !isClosed && mayRead {
            switch SocketCalls.read(fd, into: &inbound, size: Self.readSize) {
            case .bytes(let drained):
                if drained && !peerClosed { readReady = false }
                if waitingForHead && !headStarted {
                    headStarted = true
                    headStart = nil
                }
                processInbound()
                if waitingForHead && headStarted && !isClosed {
                    // A head still incomplete after a read: the header deadline applies.
                    let start = headStart ?? loop.now
                    headStart = start
                    loop.timers.set(self, to: start + headerTimeout)
                }
            case .wouldBlock:
                readReady = false
                if peerClosed { peerLeft() }
            case .interrupted:
                continue
            case .endOfStream, .failed:
                readReady = false
                peerLeft()
            }
        }
    }

    /// False while read bytes would have nowhere to go: pipelined requests piling up, or a body
    /// arriving while the upstream is connecting or has not taken the last part.
    private var mayRead: Bool {
        guard let exchange else { return true }
        if inbound.readableBytes >= Self.maxWaitingBytes { return false }
        if exchange.hasBody, !exchange.requestEnded, !discardingRequest {
            guard let upstream, !upstream.hasUnsentBytes else { return false }
        }
        return true
    }

    /// Handles what `inbound` holds as far as the connection's state allows. Re-entered calls
    /// (an exchange ending inside the loop) return at once: the loop carries on with the new state.
    func processInbound() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while !isClosed, inbound.readableBytes > 0 {
            if requestBody != nil {
                readBody()
            } else if exchange != nil {
                break  // a pipelined request: it waits until the response in progress is complete
            } else if !readHead() {
                break
            }
        }
        if inbound.readableBytes == 0 { inbound.clear() }
    }

    /// Parses the next head if it is all there; false when more bytes are needed or the
    /// connection is closing.
    private func readHead() -> Bool {
        let available = inbound.readableBytes
        let length = inbound.withUnsafeReadableBytes { HeadScanner.headLength($0, from: headSearchedTo) }
        guard let length else {
            if available > settings.maxHeaderSize {
                rejectHead(.requestHeaderFieldsTooLarge, "request headers too large")
            } else {
                headSearchedTo = max(0, available - 3)
            }
            return false
        }
        headSearchedTo = 0
        guard length <= settings.maxHeaderSize else {
            rejectHead(.requestHeaderFieldsTooLarge, "request headers too large")
            return false
        }
        let head: RequestHead
        do {
            head = try RequestHead.parse(inbound.readSlice(length: length)!)
        } catch {
            rejectHead(.badRequest, "malformed request")
            return false
        }
        requestHead(head)
        return true
    }

    /// The request cannot be read, so the connection is out of step: answer and close.
    private func rejectHead(_ status: HTTPResponseStatus, _ message: String) {
        inbound.moveReaderIndex(to: inbound.writerIndex)
        out.writeImmutableBuffer(LocalResponse(status: status, message: message).rawBytes(keepAlive: false))
        closeAfterWriting()
    }

    private func readBody() {
        var framing = requestBody!
        var dataBytes = 0
        let used: Int
        do {
            used = try inbound.withUnsafeReadableBytes { try framing.consume($0) { dataBytes += $0.count } }
        } catch {
            inbound.moveReaderIndex(to: inbound.writerIndex)
            requestBody = nil
            if let exchange, !exchange.responseHeadSent {
                failLocally(exchange, LocalResponse(status: .badRequest, message: "malformed request body", requestID: exchange.requestID.string))
            }
            closeNow()
            return
        }
        requestBody = framing.isDone ? nil : framing
        if discardingRequest {
            inbound.moveReaderIndex(forwardBy: used)
            if framing.isDone {
                // The local answer went out already; the body it refused is now fully read.
                discardingRequest = false
                inbound.moveReaderIndex(to: inbound.writerIndex)
                closeAfterWriting()
            }
            return
        }
        // A slice, so what handles the part may move `inbound`'s indices meanwhile.
        let part = inbound.readSlice(length: used)!
        part.withUnsafeReadableBytes { requestBodyPart($0, dataBytes: dataBytes) }
        if framing.isDone { requestEnd() }
    }

    private func requestHead(_ head: RequestHead) {
        waitingForHead = false
        loop.timers.clear(self)
        let now = loop.now
        let host = head.hostName
        let requestID = head.givenRequestID.map(RequestID.given) ?? requestIDs.make()
        requestBody = head.bodyFraming
        guard let pool = routeCache.lookup(host: host, in: shared.routes) else {
            respondLocally(LocalResponse(status: .badGateway, message: "no upstream for host '\(host)'", requestID: requestID.string),
                           head: head, host: host)
            return
        }
        let capacity = head.bytes.readableBytes + ForwardedHeaders.addedBytes(clientIP: clientIP, proto: listener.proto)
        var upstreamHead: ByteBuffer
        if var spare = spareHead {
            // The previous request's head: its storage is reused once nothing else holds it.
            spareHead = nil
            spare.clear(minimumCapacity: capacity)
            upstreamHead = spare
        } else {
            upstreamHead = ByteBuffer()
            upstreamHead.reserveCapacity(capacity)
        }
        ForwardedHeaders.upstreamRequest(head, clientIP: clientIP, proto: listener.proto, requestID: requestID, into: &upstreamHead)
        let exchange = ProxyExchange(
            clientHead: head, keepingHead: shared.accessLog != nil, upstreamHead: upstreamHead, requestID: requestID, host: host, pool: pool,
            hashKey: HashKeyExtraction.key(for: pool.balancerKind, head: head, clientIP: clientIP),
            retryBudget: retryBudget, now: now)
        self.exchange = exchange
        if let declared = head.contentLength, declared > settings.maxBodySize {
            failBodyTooLarge(exchange)
            return
        }
        if head.expectsContinue {
            // Answered here as nginx does: the body is streamed on anyway, and upstream
            // informational responses are not forwarded.
            out.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
            flushOut()
        }
        connectNextServer(exchange, lastFailure: nil)
    }

    private func requestBodyPart(_ part: UnsafeRawBufferPointer, dataBytes: Int) {
        guard let exchange else { return }
        exchange.requestBodyBytes += dataBytes
        if exchange.requestBodyBytes > settings.maxBodySize {
            requestBody = nil
            inbound.moveReaderIndex(to: inbound.writerIndex)
            failBodyTooLarge(exchange)
            return
        }
        guard part.count > 0 else { return }
        if let upstream {
            upstream.send(part)
            exchange.bodySentUpstream = true
        } else {
            exchange.pendingBody.append(ByteBuffer(bytes: part))
        }
    }

    /// 413: the body, declared or counted so far, is over `max_body_size`.
    private func failBodyTooLarge(_ exchange: ProxyExchange) {
        failLocally(exchange, LocalResponse(status: .payloadTooLarge, message: "request body larger than \(settings.maxBodySize) bytes",
                                            requestID: exchange.requestID.string))
    }

    private func requestEnd() {
        exchange?.requestEnded = true
    }

    // MARK: Deadlines and the connection's end

    /// The response ended and the connection stays open for another request.
    func awaitNextRequest() {
        waitingForHead = true
        headStarted = false
        loop.timers.set(self, to: loop.now + idleTimeout)
    }

    override func deadlineReached(now: NIODeadline) {
        if closeWhenWritten {
            closeNow()
            return
        }
        guard waitingForHead else { return }
        if headStarted {
            // A head begun but not finished in time: slowloris, or a client stuck mid-header.
            out.writeImmutableBuffer(LocalResponse(status: .requestTimeout, message: "request headers not received in time").rawBytes(keepAlive: false))
            closeAfterWriting()
        } else {
            closeNow()
        }
    }

    /// The client closed its side or the socket failed.
    private func peerLeft() {
        if let exchange {
            // The client left before the response ended (nginx logs 499): the upstream connection
            // is mid-request and cannot be reused.
            closeUpstream()
            exchange.finishAttempt(status: exchange.responseStatus, now: loop.now, recordForLog: shared.accessLog != nil)
            logAccess(exchange, status: 499)
            self.exchange = nil
        }
        closeNow()
    }

    /// Closes the upstream side of the exchange (attached or still connecting).
    func closeUpstream() {
        if let upstream {
            self.upstream = nil
            upstream.detach()
            upstream.close()
        }
        if let connecting {
            // Kept connecting: the fresh connection is parked for others when it completes.
            self.connecting = nil
            connecting.abandon(keepaliveLimit: settings.keepalivePerServer, idleTimeout: upstreamIdleTimeout)
        }
    }

    /// Writes what `out` holds, then closes (within the idle timeout, if the client never reads).
    func closeAfterWriting() {
        requestBody = nil
        closeWhenWritten = true
        flushOut()
        if !isClosed { loop.timers.set(self, to: loop.now + idleTimeout) }
    }

    override func closeForStop() { closeNow() }

    func closeNow() {
        guard !isClosed else { return }
        if exchange != nil || upstream != nil || connecting != nil {
            if let exchange {
                exchange.finishAttempt(status: exchange.responseStatus, now: loop.now, recordForLog: false)
                self.exchange = nil
            }
            closeUpstream()
        }
        loop.close(self, fd: fd)
        loop.clientCount.subtract(1, ordering: .relaxed)
        inbound = ByteBuffer()
        out = ByteBuffer()
    }

    // MARK: Writing

    /// Writes what `out` holds as far as the socket takes it.
    func flushOut() {
        guard !awaitingWritable, !isClosed else { return }
        if out.readableBytes > 0 {
            let written = out.withUnsafeReadableBytes { SocketCalls.write(fd, $0) }
            guard written >= 0 else {
                peerLeft()
                return
            }
            out.moveReaderIndex(forwardBy: written)
            if out.readableBytes > 0 {
                awaitingWritable = true
                return
            }
            out.clear()
        }
        if closeWhenWritten {
            closeNow()
            return
        }
        upstream?.resumeReading()
    }

    /// A body part for the client: small ones gather behind what is waiting, large ones go out
    /// at once together with it.
    func send(_ part: UnsafeRawBufferPointer) {
        if awaitingWritable || part.count <= Self.gatheredBodyLimit {
            out.writeBytes(part)
            return
        }
        let pending = out.readableBytes
        let written = out.withUnsafeReadableBytes { head in
            pending == 0 ? SocketCalls.write(fd, part) : SocketCalls.write(fd, head, part)
        }
        guard written >= 0 else {
            out.writeBytes(part)
            return  // the failure is seen by the next flush
        }
        if written >= pending {
            out.clear()
            let rest = written - pending
            if rest < part.count {
                out.writeBytes(UnsafeRawBufferPointer(rebasing: part[rest...]))
                awaitingWritable = true
            }
        } else {
            out.moveReaderIndex(forwardBy: written)
            out.writeBytes(part)
            awaitingWritable = true
        }
    }
}
