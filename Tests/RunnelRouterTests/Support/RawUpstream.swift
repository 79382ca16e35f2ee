import NIOCore
import NIOPosix
import Synchronization

/// An upstream that answers every request with fixed raw bytes, then optionally closes: for
/// malformed responses and connections cut mid-response.
final class RawUpstream: Sendable {
    let channel: any Channel
    private let connections = Atomic<Int>(0)

    var port: Int { channel.localAddress?.port ?? 0 }
    var connectionCount: Int { connections.load(ordering: .relaxed) }

    private init(channel: any Channel) { self.channel = channel }

    static func start(answer: [UInt8], closeAfter: Bool) async throws -> RawUpstream {
        let counter = CounterBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.upstream?.connections.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FixedAnswer(answer: answer, closeAfter: closeAfter))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let upstream = RawUpstream(channel: channel)
        counter.upstream = upstream
        return upstream
    }

    func stop() async { try? await channel.close() }
}

private final class CounterBox: Sendable {
    private let box = Mutex<RawUpstream?>(nil)
    var upstream: RawUpstream? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}

private final class FixedAnswer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let answer: [UInt8]
    let closeAfter: Bool
    var answered = false

    init(answer: [UInt8], closeAfter: Bool) {
        self.answer = answer
        self.closeAfter = closeAfter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        let close = closeAfter
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: answer))).whenComplete { _ in
            if close { context.close(promise: nil) }
        }
    }
}
