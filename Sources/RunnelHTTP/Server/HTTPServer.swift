import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server for Runnel's own endpoints (admin `/metrics` and `/status`, the router's
/// upstream API): requests are read whole up to a size limit, handled by an async closure, and
/// answered in order on each keep-alive connection.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse

    private let channel: any Channel
    private let connections: OpenConnections
    /// The bound address, e.g. `127.0.0.1:4352` (with the real port when 0 was asked).
    public let address: String
    public let port: Int

    private init(channel: any Channel, connections: OpenConnections, host: String) {
        self.channel = channel
        self.connections = connections
        self.port = channel.localAddress?.port ?? 0
        self.address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Binds `host:port` (port 0 picks a free port) and starts serving.
    public static func start(host: String, port: Int, maxBodyBytes: Int = 1 << 20,
                             handler: @escaping Handler) async throws -> HTTPServer {
        let connections = OpenConnections()
        let channel = try await bootstrap(maxBodyBytes: maxBodyBytes, connections: connections, handler: handler)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port).get()
        return HTTPServer(channel: channel, connections: connections, host: host)
    }

    /// Serves on a unix socket at `path` (an existing file there is replaced); `address` is the path.
    public static func start(unixSocketPath path: String, maxBodyBytes: Int = 1 << 20,
                             handler: @escaping Handler) async throws -> HTTPServer {
        let connections = OpenConnections()
        let channel = try await bootstrap(maxBodyBytes: maxBodyBytes, connections: connections, handler: handler)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        return HTTPServer(channel: channel, connections: connections, unixSocketPath: path)
    }

    private init(channel: any Channel, connections: OpenConnections, unixSocketPath: String) {
        self.channel = channel
        self.connections = connections
        self.port = 0
        self.address = unixSocketPath
    }

    private static func bootstrap(maxBodyBytes: Int, connections: OpenConnections, handler: @escaping Handler) -> ServerBootstrap {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        RequestCollector(maxBodyBytes: maxBodyBytes, handler: handler))
                }
            }
    }

    /// Stops listening and closes the connections still open (kept-alive clients see the server
    /// go away, as when a real server stops).
    public func stop() async {
        try? await channel.close()
        for connection in connections.all { try? await connection.close() }
    }
}

/// The server's accepted connections, so that stopping it closes them too.
private final class OpenConnections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    var all: [any Channel] { channels.withLock { Array($0.values) } }
}

/// Collects one request at a time and hands it to the handler; responses leave in request order.
private final class RequestCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let maxBodyBytes: Int
    private let handler: HTTPServer.Handler
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    /// The previous response on this connection; the next one waits for it (HTTP/1.1 pipelining).
    private var previous: Task<Void, Never>?

    init(maxBodyBytes: Int, handler: @escaping HTTPServer.Handler) {
        self.maxBodyBytes = maxBodyBytes
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            bodyTooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > maxBodyBytes {
                bodyTooLarge = true
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body += bytes
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = Self.makeRequest(head, body: body, remote: context.channel.remoteAddress)
            let keepAlive = head.isKeepAlive
            let tooLarge = bodyTooLarge
            let handler = handler
            let channel = context.channel
            let previous = previous
            let maxBodyBytes = maxBodyBytes
            self.previous = Task {
                await previous?.value
                let response = tooLarge
                    ? HTTPResponse.text(413, "request body larger than \(maxBodyBytes) bytes\n")
                    : await handler(request)
                await ResponseWriter.write(response, version: head.version, keepAlive: keepAlive && !tooLarge, to: channel)
            }
        }
    }

    /// A malformed request: NIO's protocol error handler has answered 400; the connection cannot be
    /// trusted to be in sync any more, so it is closed rather than left open.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private static func makeRequest(_ head: HTTPRequestHead, body: [UInt8], remote: SocketAddress?) -> HTTPRequest {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return HTTPRequest(
            method: head.method.rawValue,
            path: String(parts.first ?? ""),
            query: parts.count > 1 ? String(parts[1]) : "",
            headers: head.headers.map { ($0.name, $0.value) },
            body: body,
            remoteAddress: remote?.description)
    }
}

/// Writes a response through the channel from any thread (NIO channels are thread-safe).
enum ResponseWriter {
    static func write(_ response: HTTPResponse, version: HTTPVersion, keepAlive: Bool, to channel: any Channel) async {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        do {
            switch response.body {
            case .bytes(let bytes):
                headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
                channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers)),
                              promise: nil)
                if !bytes.isEmpty {
                    channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: bytes))), promise: nil)
                }
                try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
            case .stream(let chunks):
                headers.remove(name: "Content-Length")
                headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
                try await channel.writeAndFlush(
                    HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))).get()
                for await chunk in chunks where !chunk.isEmpty {
                    try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: chunk)))).get()
                }
                try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
            }
            if !keepAlive { try await channel.close() }
        } catch {
            // The client went away; closing is all that is left to do.
            try? await channel.close()
        }
    }
}
