import NIOCore

/// One client request on its way through the router: what was asked, which servers were tried,
/// how far the request and the response have got. Lives on the client connection's event loop.
final class ProxyExchange {
    /// The client's head, kept only for the access log: holding it keeps the whole read buffer
    /// it lies in alive, which would stop the socket's receive buffer from being reused.
    let clientHead: RequestHead?
    let clientMinorVersion: Int
    let isHeadRequest: Bool
    /// The head as sent upstream (sent again as it is on a retry).
    let upstreamHead: ByteBuffer
    let requestID: RequestID
    let host: String
    let pool: UpstreamPool
    let hashKey: UInt64?
    let keepAlive: Bool
    let idempotent: Bool
    let hasBody: Bool
    let started: NIODeadline
    let retryDeadline: NIODeadline

    /// The servers tried so far: the first apart, so a request that needs no retry allocates
    /// no array.
    private(set) var firstTried: UpstreamServer?
    private(set) var laterTried: [UpstreamServer] = []
    var triedCount: Int { firstTried == nil ? 0 : 1 + laterTried.count }
    var server: UpstreamServer?
    var attemptStarted: NIODeadline
    /// Body bytes (as framed by the client) that arrived before an upstream connection was ready.
    var pendingBody: [ByteBuffer] = []
    var requestEnded = false
    var requestBodyBytes = 0
    /// Any body byte written to an upstream: from then on the request cannot be retried.
    var bodySentUpstream = false
    var responseStatus: Int?
    var responseHeadSent = false
    /// False once the response's body is known to run to the connection's close.
    var responseKeepsClient = true
    var responseBytes = 0
    var upstreamStatuses: [Int] = []
    var upstreamAddrs: [String] = []
    var upstreamTimes: [Double] = []
    /// A 502/503/504 being retried: its body is not forwarded.
    var discardingResponse = false

    init(clientHead: RequestHead, keepingHead: Bool, upstreamHead: ByteBuffer, requestID: RequestID, host: String, pool: UpstreamPool,
         hashKey: UInt64?, retryBudget: TimeAmount, now: NIODeadline) {
        self.clientHead = keepingHead ? clientHead : nil
        clientMinorVersion = clientHead.minorVersion
        isHeadRequest = clientHead.method == .head
        self.upstreamHead = upstreamHead
        self.requestID = requestID
        self.host = host
        self.pool = pool
        self.hashKey = hashKey
        keepAlive = clientHead.keepAlive
        idempotent = clientHead.isIdempotent
        hasBody = clientHead.hasBody
        requestEnded = !hasBody
        started = now
        attemptStarted = started
        retryDeadline = started + retryBudget
    }

    /// Retrying is safe only while no body byte left and the method may be repeated.
    func mayRetry(tries: Int, now: NIODeadline) -> Bool {
        !bodySentUpstream && !responseHeadSent && triedCount < tries && now < retryDeadline
    }

    func addTried(_ server: UpstreamServer) {
        if firstTried == nil { firstTried = server } else { laterTried.append(server) }
    }

    func wasTried(_ server: UpstreamServer) -> Bool {
        firstTried === server || laterTried.contains { $0 === server }
    }

    /// Ends the current attempt; `recordForLog` keeps its address, status and time (only
    /// when an access log wants them: three array appends per request otherwise).
    func finishAttempt(status: Int?, now: NIODeadline, recordForLog: Bool) {
        if let server {
            server.activeRequests.subtract(1, ordering: .relaxed)
        }
        if let server, recordForLog {
            upstreamAddrs.append(server.address)
            upstreamStatuses.append(status ?? 502)
            upstreamTimes.append(Double((now - attemptStarted).nanoseconds) / 1e9)
        }
        server = nil
    }
}
