import NIOCore
import NIOPosix
import Synchronization

/// What every client connection of every listener shares: the route table, the current defaults
/// (replaced on SIGHUP), the per-loop connection pools and the access log.
final class ProxyShared: Sendable {
    let routes: RouteStore
    let group: MultiThreadedEventLoopGroup
    let accessLog: AccessLogSink?
    private let currentDefaults: Mutex<ProxyDefaults>
    private let pools: [ObjectIdentifier: NIOLoopBoundBox<UpstreamConnectionPool>]

    init(routes: RouteStore, defaults: ProxyDefaults, group: MultiThreadedEventLoopGroup, accessLog: AccessLogSink?) {
        self.routes = routes
        self.group = group
        self.accessLog = accessLog
        currentDefaults = Mutex(defaults)
        var pools: [ObjectIdentifier: NIOLoopBoundBox<UpstreamConnectionPool>] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop as AnyObject)] = NIOLoopBoundBox.makeBoxSendingValue(UpstreamConnectionPool(eventLoop: loop), as: UpstreamConnectionPool.self, eventLoop: loop)
        }
        self.pools = pools
    }

    var defaults: ProxyDefaults {
        get { currentDefaults.withLock { $0 } }
        set { currentDefaults.withLock { $0 = newValue } }
    }

    /// The connection pool of `loop`; call only on that loop.
    func connectionPool(on loop: any EventLoop) -> UpstreamConnectionPool? {
        pools[ObjectIdentifier(loop as AnyObject)]?.value
    }
}
