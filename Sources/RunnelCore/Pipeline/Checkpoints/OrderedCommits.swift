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
        // The state is changed in place: copying it out and back would copy its `pending`
        // table on every call (it holds every batch in flight), which made begin and settle
        // cost in proportion to the batches in flight.
        streams.withLock { streams in
            Self.begin(&streams[stream, default: StreamState()], position: position, stream: stream)
        }
    }

    /// Marks a batch settled; returns the stream's new committed position when it moved.
    public func settle(_ ticket: Ticket) -> Position? {
        streams.withLock { streams in
            guard streams[ticket.stream]?.pending[ticket.sequence] != nil else { return nil }
            return Self.settle(&streams[ticket.stream]!, sequence: ticket.sequence)
        }
    }

    private static func begin(_ state: inout StreamState, position: Position, stream: String) -> Ticket {
        let sequence = state.nextSequence
        state.nextSequence += 1
        state.pending[sequence] = (position, false)
        return Ticket(stream: stream, sequence: sequence)
    }

    private static func settle(_ state: inout StreamState, sequence: UInt64) -> Position? {
        state.pending[sequence]?.settled = true
        var committed: Position?
        while let next = state.pending[state.lowestPending], next.settled {
            committed = next.position
            state.pending[state.lowestPending] = nil
            state.lowestPending += 1
        }
        return committed
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
