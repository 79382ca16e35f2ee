import Synchronization

/// Live counters of one plugin instance, read by /metrics and /status (DESIGN §7). Updated once
/// per batch, so one lock is cheaper than it looks and keeps a snapshot consistent.
public final class PluginCounters: Sendable {
    public struct Values: Sendable, Equatable {
        public var received = 0
        public var matched = 0
        public var delivered = 0
        public var injected = 0
        public var restarts = 0
        public var dropped: [String: Int] = [:]
        public var droppedTotal: Int { dropped.values.reduce(0, +) }
    }

    public let name: String
    private let values = Mutex(Values())

    public init(name: String) {
        self.name = name
    }

    public func add(_ counter: WritableKeyPath<Values, Int>, _ amount: Int) {
        guard amount != 0 else { return }
        values.withLock { $0[keyPath: counter] += amount }
    }

    public func addDropped(_ amount: Int, reason: String) {
        guard amount > 0 else { return }
        values.withLock { $0.dropped[reason, default: 0] += amount }
    }

    public var snapshot: Values { values.withLock { $0 } }
}

/// The per-input ledger (DESIGN §1.2): read = delivered + unmatched + dropped + in flight.
public final class InputLedger: Sendable {
    private struct Totals {
        var read = 0
        var delivered = 0
        var unmatched = 0
        var dropped: [String: Int] = [:]
    }

    private let totals = Mutex(Totals())

    public init() {}

    public func noteRead(_ count: Int) {
        totals.withLock { $0.read += count }
    }

    public func noteSettled(_ outcome: BatchOutcome) {
        totals.withLock { totals in
            totals.delivered += outcome.delivered
            totals.unmatched += outcome.unmatched
            for (reason, count) in outcome.dropped { totals.dropped[reason, default: 0] += count }
        }
    }

    public struct Snapshot: Sendable, Equatable {
        public var read: Int
        public var delivered: Int
        public var unmatched: Int
        public var dropped: [String: Int]
        public var inFlight: Int { read - delivered - unmatched - dropped.values.reduce(0, +) }

        public init(read: Int, delivered: Int, unmatched: Int, dropped: [String: Int]) {
            self.read = read
            self.delivered = delivered
            self.unmatched = unmatched
            self.dropped = dropped
        }
    }

    public var snapshot: Snapshot {
        totals.withLock { Snapshot(read: $0.read, delivered: $0.delivered, unmatched: $0.unmatched, dropped: $0.dropped) }
    }
}
