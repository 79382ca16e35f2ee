import NIOCore
import NIOHTTP1
import NIOPosix

/// Binds one listener. Each connection gets: header/idle deadline, HTTP codec with header size
/// limits, and the proxy handler with the defaults current at accept time. Pipelined requests are
/// ordered by the proxy handler itself: NIO's pipelining handler pauses reading around every
/// response, which costs two epoll_ctl calls per request.
enum ProxyListener {
    static func bind(_ listener: ListenerConfig, shared: ProxyShared) async throws -> any Channel {
        try await ServerBootstrap(group: shared.group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 4)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let settings = shared.defaults
                    var limits = NIOHTTPDecoderLimitConfiguration()
                    limits.maxHeaderListSize = settings.maxHeaderSize
                    limits.maxHeaderFieldSize = settings.maxHeaderSize
                    let timer = HeaderTimeoutHandler(headerTimeout: settings.clientHeaderTimeout.timeAmount,
                                                     idleTimeout: settings.clientIdleTimeout.timeAmount)
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(timer)
                    try pipeline.addHandler(HTTPResponseEncoder())
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(
                        leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop, limitConfiguration: limits)))
                    try pipeline.addHandler(ClientHandler(shared: shared, listener: listener, settings: settings, headerTimer: timer))
                }
            }
            .bind(host: listener.address.host, port: listener.address.port)
            .get()
    }
}
