import Synchronization

/// What the Elasticsearch output did, beyond the runtime's delivered/dropped counters: read by
/// tests and logged at shutdown.
public final class ElasticsearchOutputStats: Sendable {
    public struct Values: Sendable, Equatable {
        public var requests = 0
        public var stored = 0
        public var duplicates = 0
        public var itemRetries = 0
        public var deadLettered = 0
        /// Whole requests answered 429/5xx, timed out or not connected.
        public var requestFailures = 0
        /// Requests split in two after a 413 (or a whole-request 400).
        public var splits = 0
        public var failovers = 0
        public var peakHeldBytes = 0
        /// Time spent encoding in requests' tasks, and waiting for responses (summed over requests).
        public var encodeTime: Duration = .zero
        public var responseTime: Duration = .zero
    }

    private let values = Mutex(Values())

    public init() {}

    func update(_ change: (inout Values) -> Void) {
        values.withLock { change(&$0) }
    }

    public var snapshot: Values { values.withLock { $0 } }
}
