import NIOCore
import NIOPosix

/// Binds one listener. Each connection gets one handler: the proxy handler (with the defaults
/// current at accept time), which keeps the header/idle deadline and reads HTTP/1.1 itself from
/// the raw bytes: no codec handlers, no per-part messages through the pipeline. Pipelined requests
/// are ordered by the proxy handler itself.
enum ProxyListener {
    static func bind(_ listener: ListenerConfig, shared: ProxyShared) async throws -> any Channel {
        try await ServerBootstrap(group: shared.group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 4)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ClientHandler(shared: shared, listener: listener, settings: shared.defaults))
                }
            }
            .bind(host: listener.address.host, port: listener.address.port)
            .get()
    }
}
