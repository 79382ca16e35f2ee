import Logging
import NIOCore
import NIOPosix
import RunnelCore

/// Receives UDP datagrams (Heka's UdpInput). By default each datagram is one record (Heka's
/// NullSplitter default); a configured splitter cuts records within each datagram, and what is
/// left at a datagram's end is a lost tail (counted) unless `deliver_incomplete_final`. Heka frames
/// are decoded as the messages they carry when no decoder is configured.
///
/// Raw records: Type = the input's name, Logger = the sender's `ip:port`, Hostname = the sender's
/// IP with `set_hostname` (Heka), this agent's host name otherwise. UDP cannot push back: when the
/// pipeline falls behind by more than `maxPendingBytes`, new datagrams are dropped and counted
/// (`receive_overflow`), and the kernel drops beyond its receive buffer (`receive_buffer_size`).
public struct UdpInput: InputPlugin, ListeningInput {
    public struct Options: Sendable {
        public var listener: ListenerOptions
        public var setHostname = false
        /// The largest datagram read whole; longer ones are cut by the kernel.
        public var maxDatagramBytes = 65_536
        public var maxPendingBytes = 4 << 20

        public init(listener: ListenerOptions) {
            self.listener = listener
        }

        public init(address: HostAndPort) {
            self.init(listener: ListenerOptions(address: address, defaultSplitter: .null))
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    var listener: ListenerOptions { options.listener }

    public func run(_ context: InputContext) async throws {
        let addresses = try await AddressResolver.resolve(listener.address, family: listener.family, passive: true)
        let pending = PendingDatagrams(limitBytes: options.maxPendingBytes) { count in
            context.noteDiscarded(["receive_overflow": count])
        }
        var bootstrap = DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: options.maxDatagramBytes))
            .channelOption(ChannelOptions.maxMessagesPerRead, value: 64)
        if let receiveBufferBytes = listener.receiveBufferBytes {
            bootstrap = bootstrap.channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: SocketOptionValue(clamping: receiveBufferBytes))
        }
        let channel = try await bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(DatagramCollector(pending: pending))
            }
        }.bind(to: addresses[0]).get()
        ListenerAnnouncement.announce(channel.localAddress, pluginType: "UdpInput", listener: listener, context: context)

        var stream = NetworkRecordStream(
            splitter: context.makeSplitter(startOffset: 0),
            builder: RecordMessages(type: ByteString(context.name), logger: "", hostname: context.hostname),
            decodeFramesWithoutDecoder: listener.decodeFramesWithoutDecoder)
        var senders: [SocketAddress: PeerAddress] = [:]
        await withTaskCancellationHandler {
            for await datagrams in pending.stream {
                let now = WallClock.nowNanoseconds()
                var batch: [Message] = []
                batch.reserveCapacity(datagrams.count)
                for datagram in datagrams {
                    if senders.count > 4096 { senders.removeAll() }
                    let sender = senders[datagram.sender] ?? PeerAddress(datagram.sender)
                    senders[datagram.sender] = sender
                    stream.builder.logger = sender.ipAndPort
                    if options.setHostname { stream.builder.hostname = sender.ip }
                    datagram.bytes.withUnsafeBytes { stream.append($0) }
                    while let record = stream.nextRecord() {
                        if let message = stream.message(for: record, timestamp: now) { batch.append(message) }
                    }
                    if let tail = stream.finish(), let message = stream.message(for: tail, timestamp: now) { batch.append(message) }
                }
                pending.release(datagrams)
                context.noteDiscarded(stream.takeDiscarded())
                if !batch.isEmpty { await context.deliver(batch) }
            }
        } onCancel: {
            pending.finish()
        }
        try? await channel.close()
    }
}
