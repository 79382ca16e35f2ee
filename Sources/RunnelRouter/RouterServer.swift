import Foundation
import NIOCore
import NIOPosix
import RunnelHTTP
import Synchronization

/// A running router: proxy listeners, the admin API, health checkers and the access log.
public final class RouterServer: Sendable {
    private let shared: ProxyShared
    private let registry: UpstreamRegistry
    private let admin: HTTPServer
    /// The proxy's own epoll loops (`event_loops` threads, one per core by default).
    private let loops: ProxyLoops
    private let listeners: Mutex<[ProxyLoops.BoundListener]>

    /// The admin API's bound address (the real port when 0 was configured).
    public let adminPort: Int

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private init(shared: ProxyShared, registry: UpstreamRegistry, admin: HTTPServer, loops: ProxyLoops,
                 listeners: [ProxyLoops.BoundListener]) {
        self.loops = loops
        self.shared = shared
        self.registry = registry
        self.admin = admin
        self.listeners = Mutex(listeners)
        adminPort = admin.port
    }

    /// Proxies on `config.eventLoops` epoll loops of its own (one per core when unset); health
    /// checks and the admin API run on SwiftNIO's shared group.
    public static func start(_ config: RouterConfig) async throws -> RouterServer {
        let registry: UpstreamRegistry
        do {
            registry = try UpstreamRegistry(config: config, group: MultiThreadedEventLoopGroup.singleton)
        } catch {
            throw StartError(description: error.message)
        }
        let loops: ProxyLoops
        do {
            loops = try ProxyLoops(count: config.eventLoops ?? System.coreCount)
        } catch {
            registry.stop()
            throw StartError(description: "cannot start event loops: \(error)")
        }
        let accessLog = makeAccessLog(config.accessLog)
        let shared = ProxyShared(routes: registry.routes, defaults: config.defaults, accessLog: accessLog)
        var bound: [ProxyLoops.BoundListener] = []
        do {
            for listener in config.listeners {
                bound.append(try await loops.bind(listener, shared: shared))
            }
            let api = AdminAPI(registry: registry, accessLog: accessLog, token: config.admin.token,
                               allowUnauthenticatedStatus: config.admin.allowUnauthenticatedStatus)
            let admin = try await HTTPServer.start(host: config.admin.address.host, port: config.admin.address.port) { request in
                await api.handle(request)
            }
            return RouterServer(shared: shared, registry: registry, admin: admin, loops: loops, listeners: bound)
        } catch {
            await loops.shutdown()
            registry.stop()
            accessLog?.stop()
            throw error
        }
    }

    private static func makeAccessLog(_ config: AccessLogConfig) -> AccessLogSink? {
        switch config.destination {
        case .none: return nil
        case .file(let path): return AccessLogSink(capacity: config.bufferRecords, writer: FileAccessLogWriter(path: path))
        case .tcp(let address):
            let hostname = config.hostname ?? ProcessInfo.processInfo.hostName
            return AccessLogSink(capacity: config.bufferRecords, writer: HekaTCPAccessLogWriter(address: address, hostname: hostname))
        }
    }

    /// Requests being proxied right now, over every upstream.
    public var activeRequests: Int {
        registry.routes.table.pools.values.reduce(0) { total, pool in
            pool.allServers.reduce(total) { $0 + $1.activeRequests.load(ordering: .relaxed) }
        }
    }

    /// Event-loop threads serving the listeners.
    var eventLoopCount: Int { loops.loops.count }

    /// The bound proxy ports, in listener order (the real ports when 0 was configured).
    public var listenerPorts: [Int] { listeners.withLock { $0.map(\.port) } }

    /// SIGHUP: new defaults apply to new connections, listeners are opened and closed to match
    /// the file (connections already accepted keep running), routes and static upstreams change.
    /// Admin address, state directory and access log destination need a restart.
    public func reload(_ config: RouterConfig) async throws {
        shared.defaults = config.defaults
        registry.reload(config)
        let current = listeners.withLock { $0 }
        var kept: [ProxyLoops.BoundListener] = []
        for listener in current {
            if config.listeners.contains(listener.config) { kept.append(listener) } else { await loops.close(listener) }
        }
        for listener in config.listeners where !kept.contains(where: { $0.config == listener }) {
            kept.append(try await loops.bind(listener, shared: shared))
        }
        listeners.withLock { $0 = kept }
    }

    /// Stops accepting, lets requests in flight finish (up to `drainTimeout`), then stops the
    /// admin API, health checks and the access log (after writing what it holds), and last the
    /// proxy loops, which close the connections still open.
    public func stop(drainTimeout: Duration = .seconds(10)) async {
        let current = listeners.withLock { state in
            let current = state
            state.removeAll()
            return current
        }
        for listener in current { await loops.close(listener) }
        let deadline = ContinuousClock.now + drainTimeout
        while activeRequests > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await admin.stop()
        registry.stop()
        await loops.shutdown()
        shared.accessLog?.stop()
    }
}
