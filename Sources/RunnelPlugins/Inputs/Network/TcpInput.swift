import Logging
import NIOCore
import NIOPosix
import RunnelCore

/// Listens for TCP connections and reads each as its own stream with its own splitter (Heka's
/// TcpInput). By default the streams are Heka framed and each frame's message is delivered as
/// sent (Heka's HekaFramingSplitter + ProtobufDecoder); with `splitter = "TokenSplitter"` each line
/// becomes a message whose Payload is the line.
///
/// - Raw records: Type = the input's name (as in Heka), Hostname = the peer's IP, Logger = the
///   peer's `ip:port`. (Heka put `ip:port` in Hostname; Runnel keeps the port in Logger.)
/// - Backpressure: a connection is read only as fast as its batches enter the pipeline. While
///   `deliver` waits on full queues the connection is not read, so the sender's TCP window closes
///   and the sender blocks; memory per connection stays bounded by a few read buffers.
/// - Bad frames and undecodable messages are counted as dropped and the connection continues. A
///   connection that ends inside a record loses that tail (counted as `incomplete_final`) unless
///   the splitter has `deliver_incomplete_final`.
/// - At most `maxConnections` are served at once; further clients wait in the accept backlog.
/// - A sender that asks for confirmations (`PeerConfirmation`, a Runnel TcpOutput with
///   `confirm_by = "peer"`) is told which bytes were settled by this agent's outputs.
/// - Port 0 picks a free port; the bound address is logged and written to `listener.addressFile`.
public struct TcpInput: InputPlugin, ListeningInput {
    public struct Options: Sendable {
        public var listener: ListenerOptions
        public var keepAlive = TCPKeepAlive()
        public var maxConnections = 1024
        public var maxBatchMessages = 1024

        public init(listener: ListenerOptions) {
            self.listener = listener
        }

        public init(address: HostAndPort) {
            self.init(listener: ListenerOptions(address: address, defaultSplitter: .hekaFraming(verifier: nil)))
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    var listener: ListenerOptions { options.listener }

    public func run(_ context: InputContext) async throws {
        let addresses = try await AddressResolver.resolve(listener.address, family: listener.family, passive: true)
        let keepAlive = options.keepAlive
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        if let receiveBufferBytes = listener.receiveBufferBytes {
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.socketOption(.so_rcvbuf),
                                                      value: SocketOptionValue(clamping: receiveBufferBytes))
        }
        let server = try await bootstrap
            .childChannelOption(ChannelOptions.recvAllocator,
                                value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16 * 1024, maximum: 256 * 1024))
            .bind(to: addresses[0]) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try keepAlive.apply(to: channel)
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 4)))
                }
            }
        ListenerAnnouncement.announce(server.channel.localAddress, pluginType: "TcpInput", listener: listener, context: context)
        let slots = ConnectionSlots(limit: options.maxConnections)
        try await server.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                var pending = connections.makeAsyncIterator()
                var warnedFull = false
                while true {
                    if slots.open >= slots.limit && !warnedFull {
                        warnedFull = true
                        context.logger.warning("max_connections reached; new clients wait until a connection closes",
                                               metadata: ["plugin": "\(context.name)", "max_connections": "\(slots.limit)"])
                    } else if slots.open < slots.limit {
                        warnedFull = false
                    }
                    guard await slots.acquire() else { return }
                    guard let connection = try await pending.next() else {
                        slots.release()
                        return
                    }
                    group.addTask {
                        defer { slots.release() }
                        await TcpConnectionReader(options: options, context: context, connection: connection).run()
                    }
                }
            }
        }
    }
}
