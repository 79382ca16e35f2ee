import NIOCore
import Synchronization

/// One received datagram, copied out of NIO's receive buffer at its exact size.
struct Datagram: Sendable {
    var sender: SocketAddress
    var bytes: [UInt8]
}

/// Datagrams received but not yet turned into messages, bounded in bytes: UDP has no
/// backpressure, so when the pipeline falls behind the newest datagrams are dropped and counted
/// rather than queued without limit.
final class PendingDatagrams: Sendable {
    let stream: AsyncStream<[Datagram]>
    private let continuation: AsyncStream<[Datagram]>.Continuation
    private let bytes = Mutex(0)
    let limitBytes: Int
    private let onDropped: @Sendable (Int) -> Void

    init(limitBytes: Int, onDropped: @escaping @Sendable (Int) -> Void) {
        (stream, continuation) = AsyncStream.makeStream()
        self.limitBytes = limitBytes
        self.onDropped = onDropped
    }

    /// From the event loop: hands over one read cycle's datagrams, or drops them when full.
    func offer(_ datagrams: [Datagram]) {
        let size = datagrams.reduce(0) { $0 + $1.bytes.count }
        let admitted = bytes.withLock { pending -> Bool in
            guard pending == 0 || pending + size <= limitBytes else { return false }
            pending += size
            return true
        }
        if admitted {
            continuation.yield(datagrams)
        } else {
            onDropped(datagrams.count)
        }
    }

    /// From the input's task, once a batch of datagrams was processed.
    func release(_ datagrams: [Datagram]) {
        let size = datagrams.reduce(0) { $0 + $1.bytes.count }
        bytes.withLock { $0 -= size }
    }

    func finish() {
        continuation.finish()
    }
}

/// Collects the datagrams of one read cycle and offers them together, so the pipeline gets
/// batches rather than one message at a time.
final class DatagramCollector: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let pending: PendingDatagrams
    private var collected: [Datagram] = []

    init(pending: PendingDatagrams) {
        self.pending = pending
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        collected.append(Datagram(sender: envelope.remoteAddress, bytes: Array(envelope.data.readableBytesView)))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard !collected.isEmpty else { return }
        pending.offer(collected)
        collected.removeAll(keepingCapacity: true)
    }
}
