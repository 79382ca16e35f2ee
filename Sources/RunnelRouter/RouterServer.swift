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
    private let listeners: Mutex<[(config: ListenerConfig, channel: any Channel)]>
    /// The event-loop group made for `event_loops`, shut down on stop; nil when given or shared.
    private let ownedGroup: MultiThreadedEventLoopGroup?

    /// The admin API's bound address (the real port when 0 was configured).
    public let adminPort: Int

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private init(shared: ProxyShared, registry: UpstreamRegistry, admin: HTTPServer,
                 listeners: [(config: ListenerConfig, channel: any Channel)], ownedGroup: MultiThreadedEventLoopGroup?) {
        self.ownedGroup = ownedGroup
        self.shared = shared
        self.registry = registry
        self.admin = admin
        self.listeners = Mutex(listeners)
        adminPort = admin.port
    }

    /// `group`: the event loops to serve on; when nil, `config.eventLoops` threads of the
    /// router's own (or the shared group, one loop per core, when that is unset too).
    public static func start(_ config: RouterConfig, group given: MultiThreadedEventLoopGroup? = nil) async throws -> RouterServer {
        let ownedGroup = given == nil ? config.eventLoops.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } : nil
        let group = given ?? ownedGroup ?? .singleton
        let registry: UpstreamRegistry
        do {
            registry = try UpstreamRegistry(config: config, group: group)
        } catch {
            try? await ownedGroup?.shutdownGracefully()
            throw StartError(description: error.message)
        }
        let accessLog = makeAccessLog(config.accessLog)
        let shared = ProxyShared(routes: registry.routes, defaults: config.defaults, group: group, accessLog: accessLog)
        var bound: [(config: ListenerConfig, channel: any Channel)] = []
        do {
            for listener in config.listeners {
                bound.append((listener, try await ProxyListener.bind(listener, shared: shared)))
            }
            let api = AdminAPI(registry: registry, accessLog: accessLog, token: config.admin.token,
                               allowUnauthenticatedStatus: config.admin.allowUnauthenticatedStatus)
            let admin = try await HTTPServer.start(host: config.admin.address.host, port: config.admin.address.port) { request in
                await api.handle(request)
            }
            return RouterServer(shared: shared, registry: registry, admin: admin, listeners: bound, ownedGroup: ownedGroup)
        } catch {
            for listener in bound { try? await listener.channel.close() }
            registry.stop()
            accessLog?.stop()
            try? await ownedGroup?.shutdownGracefully()
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
    var eventLoopCount: Int { shared.group.makeIterator().reduce(0) { count, _ in count + 1 } }

    /// The bound proxy ports, in listener order (the real ports when 0 was configured).
    public var listenerPorts: [Int] { listeners.withLock { $0.map { $0.channel.localAddress?.port ?? 0 } } }

    /// SIGHUP: new defaults apply to new connections, listeners are opened and closed to match
    /// the file (connections already accepted keep running), routes and static upstreams change.
    /// Admin address, state directory and access log destination need a restart.
    public func reload(_ config: RouterConfig) async throws {
        shared.defaults = config.defaults
        registry.reload(config)
        let current = listeners.withLock { $0 }
        var kept: [(config: ListenerConfig, channel: any Channel)] = []
        for listener in current {
            if config.listeners.contains(listener.config) { kept.append(listener) } else { try? await listener.channel.close() }
        }
        for listener in config.listeners where !kept.contains(where: { $0.config == listener }) {
            kept.append((listener, try await ProxyListener.bind(listener, shared: shared)))
        }
        listeners.withLock { $0 = kept }
    }

    /// Stops accepting, lets requests in flight finish (up to `drainTimeout`), then stops the
    /// admin API, health checks and the access log (after writing what it holds). Connections
    /// still open are left to the event loop group's owner (the process exits).
    public func stop(drainTimeout: Duration = .seconds(10)) async {
        let current = listeners.withLock { state in
            let current = state
            state.removeAll()
            return current
        }
        for listener in current { try? await listener.channel.close() }
        let deadline = ContinuousClock.now + drainTimeout
        while activeRequests > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await admin.stop()
        registry.stop()
        shared.accessLog?.stop()
        try? await ownedGroup?.shutdownGracefully()
    }
}
