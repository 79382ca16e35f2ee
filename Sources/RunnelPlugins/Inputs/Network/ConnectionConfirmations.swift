import NIOCore
import RunnelCore
import Synchronization

/// One connection's answers to a sender that asked for confirmations (`PeerConfirmation`): batch
/// end offsets commit in stream order as their batches settle, and the newest committed offset is
/// written back. Offsets only grow; intermediate ones may be skipped (each covers all before it).
final class ConnectionConfirmations: Sendable {
    private let commits = OrderedCommits<Int64>()
    private let offsets: AsyncStream<Int64>
    private let continuation: AsyncStream<Int64>.Continuation
    private let highest = Mutex<Int64>(-1)

    init() {
        (offsets, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Registers a batch that ends at `offset`; settle the ticket once it is settled.
    func begin(through offset: Int64) -> OrderedCommits<Int64>.Ticket {
        commits.begin(stream: "", position: offset)
    }

    func settle(_ ticket: OrderedCommits<Int64>.Ticket) {
        highest.withLock { highest in
            // Under the lock, so two settling threads cannot publish offsets out of order.
            guard let committed = commits.settle(ticket), committed > highest else { return }
            highest = committed
            continuation.yield(committed)
        }
    }

    /// Bytes up to `offset` that produced no message to wait for (the request, discarded frames).
    func commitWithoutBatch(through offset: Int64) {
        settle(begin(through: offset))
    }

    /// Writes confirmations until `finish()` or the connection closes.
    func send(through outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        for await offset in offsets {
            try await outbound.write(ByteBuffer(bytes: PeerConfirmation.confirmedFrame(offset: offset)))
        }
    }

    func finish() {
        continuation.finish()
    }
}
