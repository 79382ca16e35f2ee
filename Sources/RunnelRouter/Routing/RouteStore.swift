import Synchronization

/// The live route table, shared by every event loop and the admin API. Readers take the current
/// table under a short lock; writers swap in a new one.
final class RouteStore: Sendable {
    private let current: Mutex<RouteTable>

    init(_ table: RouteTable = RouteTable()) { current = Mutex(table) }

    var table: RouteTable { current.withLock { $0 } }

    func lookup(host: String) -> UpstreamPool? { current.withLock { $0.lookup(host: host) } }

    func update<T: Sendable>(_ body: (inout RouteTable) -> T) -> T {
        current.withLock { body(&$0) }
    }
}
