import NIOCore
import NIOPosix
import Synchronization

/// A TCP server that keeps every byte it receives (stands in for a Runnel agent's TcpInput).
final class ByteCollector: Sendable {
    let channel: any Channel
    private let sink: Sink

    var port: Int { channel.localAddress?.port ?? 0 }
    var bytes: [UInt8] { sink.bytes.withLock { $0 } }

    private init(channel: any Channel, sink: Sink) {
        self.channel = channel
        self.sink = sink
    }

    static func start() async throws -> ByteCollector {
        let sink = Sink()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Appender(sink: sink)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ByteCollector(channel: channel, sink: sink)
    }

    func stop() async { try? await channel.close() }
}

/// The bytes received by every accepted connection.
private final class Sink: Sendable {
    let bytes = Mutex<[UInt8]>([])
}

private final class Appender: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let sink: Sink
    init(sink: Sink) { self.sink = sink }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        sink.bytes.withLock { $0 += bytes }
    }
}
