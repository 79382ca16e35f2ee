import Foundation
import NIOCore
import Synchronization

/// Owns the desired upstream state: static upstreams from the config, changes made through the
/// API (persisted under the state directory), the live route table built from both, and the
/// active health checkers. Every change swaps one upstream's pool atomically.
final class UpstreamRegistry: Sendable {
    struct Settings: Sendable {
        var defaultBalancer: BalancerKind
        var health: HealthCheckConfig
        var upstreamHealth: [String: HealthCheckConfig]
        var ejection: EjectionConfig
        var staticUpstreams: [String: UpstreamSpec]

        init(_ config: RouterConfig) {
            defaultBalancer = config.defaults.balancer
            health = config.health
            upstreamHealth = config.upstreamHealth
            ejection = config.ejection
            staticUpstreams = Dictionary(config.upstreams.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        }
    }

    struct ChangeError: Error, Sendable {
        var status: Int
        var message: String
    }

    let routes: RouteStore
    private let group: any EventLoopGroup
    private let stateDirectory: String?
    private let settings: Mutex<Settings>
    private let stateFile: Mutex<UpstreamStateFile>
    private let checkers = Mutex<[String: Task<Void, Never>]>([:])
    /// Serialises writers so a read-modify-write of one upstream cannot interleave with another.
    private let writeLock = Mutex(())

    init(config: RouterConfig, group: any EventLoopGroup) throws(ChangeError) {
        self.group = group
        stateDirectory = config.stateDirectory
        settings = Mutex(Settings(config))
        var state = UpstreamStateFile()
        if let directory = config.stateDirectory {
            switch UpstreamStateFile.load(directory: directory) {
            case .success(let loaded): state = loaded
            case .failure(let problem): throw ChangeError(status: 500, message: problem.message)
            }
        }
        stateFile = Mutex(state)
        routes = RouteStore(RouteTable(pools: [:], routes: config.routes))
        rebuildAll()
    }

    /// The specs in force: static ones, overridden or deleted by API state.
    var desired: [String: UpstreamSpec] {
        let statics = settings.withLock { $0.staticUpstreams }
        let state = stateFile.withLock { $0 }
        var result = statics.filter { !state.deleted.contains($0.key) }
        for (name, spec) in state.upstreams { result[name] = spec }
        return result
    }

    func spec(_ name: String) -> UpstreamSpec? { routes.table.pools[name]?.spec }

    /// Applies an API body to one upstream; returns the new spec.
    func apply(_ change: UpstreamJSON.Change, to name: String) throws(ChangeError) -> UpstreamSpec {
        try writeLock.withLock { _ throws(ChangeError) in
            var spec = desired[name] ?? UpstreamSpec(name: name, levels: [])
            switch change {
            case .merge(let servers, let balancer):
                spec.merge(servers)
                if let balancer { spec.balancer = balancer }
            case .replace(let levels, let balancer):
                spec.levels = levels
                spec.balancer = balancer
            }
            guard !spec.allServers.isEmpty else { throw ChangeError(status: 400, message: "upstream '\(name)' would have no servers") }
            try store(spec, named: name)
            return spec
        }
    }

    /// Removes servers (by `host:port`) from an upstream, or the whole upstream when `addresses` is nil.
    func delete(_ name: String, addresses: Set<String>?) throws(ChangeError) {
        try writeLock.withLock { _ throws(ChangeError) in
            guard var spec = desired[name] else { throw ChangeError(status: 404, message: "no upstream '\(name)'") }
            if let addresses, !addresses.isEmpty { spec.remove(addresses: addresses) } else { spec.levels = [] }
            // Removing the last server removes the upstream.
            try store(spec.allServers.isEmpty ? nil : spec, named: name)
        }
    }

    /// Records `spec` (nil: deleted) as the desired state of `name`, persists it, then swaps the
    /// live pool. When the state file cannot be written the in-memory state goes back, so memory
    /// and disk agree and the live pool is unchanged.
    private func store(_ spec: UpstreamSpec?, named name: String) throws(ChangeError) {
        let (previous, state) = stateFile.withLock { state in
            let previous = state
            state.upstreams[name] = spec
            if spec == nil { state.deleted.insert(name) } else { state.deleted.remove(name) }
            return (previous, state)
        }
        guard let stateDirectory else {
            install(spec, named: name)
            return
        }
        do {
            try state.save(directory: stateDirectory)
        } catch {
            stateFile.withLock { $0 = previous }
            throw ChangeError(status: 500, message: "cannot persist the upstream state: \(error)")
        }
        install(spec, named: name)
    }

    /// Builds the pool for `spec` (reusing server state from the current pool) and swaps it in.
    private func install(_ spec: UpstreamSpec?, named name: String) {
        let settings = self.settings.withLock { $0 }
        let pool: UpstreamPool? = spec.map { spec in
            routes.update { table in
                let pool = UpstreamPool(spec: spec, defaultBalancer: settings.defaultBalancer,
                                        health: settings.upstreamHealth[name] ?? settings.health,
                                        ejection: settings.ejection, previous: table.pools[name])
                table.pools[name] = pool
                return pool
            }
        }
        if spec == nil { routes.update { $0.pools[name] = nil } }
        restartChecker(name, pool: pool)
    }

    private func rebuildAll() {
        let desired = self.desired
        for name in Set(routes.table.pools.keys).subtracting(desired.keys) { install(nil, named: name) }
        for (name, spec) in desired { install(spec, named: name) }
    }

    /// SIGHUP: new defaults, health settings, routes and static upstreams; API state still wins.
    func reload(_ config: RouterConfig) {
        writeLock.withLock { _ in
            settings.withLock { $0 = Settings(config) }
            routes.update { $0.routes = config.routes }
            rebuildAll()
        }
    }

    private func restartChecker(_ name: String, pool: UpstreamPool?) {
        let group = self.group
        let task = pool.flatMap { pool in
            pool.health.interval > .zero ? Task { await ActiveHealthChecker.run(pool: pool, group: group) } : nil
        }
        let old = checkers.withLock { checkers in
            let old = checkers[name]
            checkers[name] = task
            return old
        }
        old?.cancel()
    }

    func stop() {
        let tasks = checkers.withLock { checkers in
            let tasks = Array(checkers.values)
            checkers.removeAll()
            return tasks
        }
        for task in tasks { task.cancel() }
    }
}
