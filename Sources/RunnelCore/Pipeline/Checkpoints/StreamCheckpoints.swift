import Synchronization

/// An input's checkpoints: positions become committed in read order as their batches settle
/// (OrderedCommits) and are saved by the runtime every checkpoint interval and at shutdown, after
/// the outputs confirmed what they could (CheckpointStore).
///
/// A position is a short list of integers chosen by the input: `[offset, device, inode]` for a
/// file, `[timestamp, lines]` for a container stream, `[offset]` for a Kafka partition.
public final class StreamCheckpoints: Sendable {
    private let store: CheckpointStore?
    private let commits = OrderedCommits<[Int64]>()
    private struct State {
        var committed: [String: [Int64]]
        var dirty = false
    }
    private let state: Mutex<State>
    /// What was saved when the input started (the positions to resume from).
    public let saved: [String: [Int64]]

    public init(store: CheckpointStore?) {
        self.store = store
        let loaded = store?.load() ?? [:]
        saved = loaded
        state = Mutex(State(committed: loaded))
    }

    /// A batch of `stream` read up to `position`; settle the ticket when the batch settles.
    public func begin(stream: String, position: [Int64]) -> OrderedCommits<[Int64]>.Ticket {
        commits.begin(stream: stream, position: position)
    }

    public func settle(_ ticket: OrderedCommits<[Int64]>.Ticket) {
        guard let position = commits.settle(ticket) else { return }
        state.withLock { state in
            state.committed[ticket.stream] = position
            state.dirty = true
        }
    }

    /// The stream is gone for good (file deleted, container removed): its checkpoint is dropped.
    public func forget(stream: String) {
        commits.forget(stream: stream)
        state.withLock { state in
            if state.committed.removeValue(forKey: stream) != nil { state.dirty = true }
        }
    }

    public var committed: [String: [Int64]] { state.withLock { $0.committed } }

    /// Batches read but not yet settled, per stream.
    public var inFlight: [String: Int] { commits.inFlight }

    /// Writes the committed positions when they changed since the last save.
    public func save() throws(CheckpointStore.IOError) {
        guard let store else { return }
        let snapshot: [String: [Int64]]? = state.withLock { state in
            guard state.dirty else { return nil }
            state.dirty = false
            return state.committed
        }
        guard let snapshot else { return }
        do {
            try store.save(snapshot)
        } catch {
            state.withLock { $0.dirty = true }
            throw error
        }
    }
}
