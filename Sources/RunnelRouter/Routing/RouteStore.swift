import Synchronization

/// The live route table, shared by every event loop and the admin API. Readers take the current
/// table under a short lock; writers swap in a new one and count the change, so a reader can
/// keep what it looked up for as long as the count stays the same.
final class RouteStore: Sendable {
    private let current: Mutex<RouteTable>
    private let changes = Atomic<Int>(0)

    init(_ table: RouteTable = RouteTable()) { current = Mutex(table) }

    var table: RouteTable { current.withLock { $0 } }

    /// Changes so far; read before a lookup, it tells when that lookup's answer is stale.
    var generation: Int { changes.load(ordering: .acquiring) }

    func lookup(host: String) -> UpstreamPool? { current.withLock { $0.lookup(host: host) } }

    func update<T: Sendable>(_ body: (inout RouteTable) -> T) -> T {
        current.withLock { table in
            let result = body(&table)
            changes.add(1, ordering: .releasing)
            return result
        }
    }
}
