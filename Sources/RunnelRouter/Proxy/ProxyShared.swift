import Synchronization

/// What every client connection of every listener shares: the route table, the current defaults
/// (replaced on SIGHUP) and the access log.
final class ProxyShared: Sendable {
    let routes: RouteStore
    let accessLog: AccessLogSink?
    private let currentDefaults: Mutex<ProxyDefaults>

    init(routes: RouteStore, defaults: ProxyDefaults, accessLog: AccessLogSink?) {
        self.routes = routes
        self.accessLog = accessLog
        currentDefaults = Mutex(defaults)
    }

    var defaults: ProxyDefaults {
        get { currentDefaults.withLock { $0 } }
        set { currentDefaults.withLock { $0 = newValue } }
    }
}
