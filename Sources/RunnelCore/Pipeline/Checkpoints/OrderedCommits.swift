import Synchronization

/// Moves a stream's checkpoint only past positions whose batches have all settled, in the order
/// they were read (DESIGN §6): batch 2 settling before batch 1 does not move the checkpoint until
/// batch 1 settles too.
public final class OrderedCommits<Position: Sendable>: Sendable {
    public struct Ticket: Sendable, Hashable {
        public let stream: String
        let sequence: UInt64
    }

    private struct StreamState {
        var nextSequence: UInt64 = 0
        /// Positions read but not yet committed, by sequence; `settled` once every destination is done.
        var pending: [UInt64: (position: Position, settled: Bool)] = [:]
        var lowestPending: UInt64 = 0
    }

    private let streams = Mutex<[String: StreamState]>([:])

    public init() {}

    /// Registers a batch that ends at `position` in `stream`.
    public func begin(stream: String, position: Position) -> Ticket {
        streams.withLock { streams in
            var state = streams[stream, default: StreamState()]
            let sequence = state.nextSequence
            state.nextSequence += 1
            state.pending[sequence] = (position, false)
            streams[stream] = state
            return Ticket(stream: stream, sequence: sequence)
        }
    }

    /// Marks a batch settled; returns the stream's new committed position when it moved.
    public func settle(_ ticket: Ticket) -> Position? {
        streams.withLock { streams in
            guard var state = streams[ticket.stream], let entry = state.pending[ticket.sequence] else { return nil }
            state.pending[ticket.sequence] = (entry.position, true)
            var committed: Position?
            while let next = state.pending[state.lowestPending], next.settled {
                committed = next.position
                state.pending[state.lowestPending] = nil
                state.lowestPending += 1
            }
            streams[ticket.stream] = state
            return committed
        }
    }

    /// Batches read but not settled, per stream.
    public var inFlight: [String: Int] {
        streams.withLock { $0.mapValues { $0.pending.count } }
    }

    /// Forgets a stream (a file that was removed, a container that is gone).
    public func forget(stream: String) {
        _ = streams.withLock { $0.removeValue(forKey: stream) }
    }
}
