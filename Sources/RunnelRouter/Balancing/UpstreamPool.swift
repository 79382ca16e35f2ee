import Foundation
import NIOCore
import Synchronization

/// An upstream at run time: an immutable list of levels of servers and its balancer. An API
/// update builds a new pool and swaps it in; requests already running keep the one they chose.
final class UpstreamPool: Sendable {
    let spec: UpstreamSpec
    let levels: [[UpstreamServer]]
    let balancerKind: BalancerKind
    let health: HealthCheckConfig
    let ejection: EjectionConfig
    private let balancer: any Balancer
    /// Serialises ejection decisions so two event loops cannot both eject "the last" server.
    private let ejectionLock = Mutex(())

    /// `previous`: the pool this one replaces; servers with the same address keep their state.
    init(spec: UpstreamSpec, defaultBalancer: BalancerKind, health: HealthCheckConfig, ejection: EjectionConfig,
         previous: UpstreamPool? = nil) {
        self.spec = spec
        var known: [String: UpstreamServer] = [:]
        for server in previous?.allServers ?? [] { known[server.address] = server }
        levels = spec.levels.map { level in
            level.map { server in
                guard let old = known[server.address] else { return UpstreamServer(spec: server) }
                return old.spec == server ? old : UpstreamServer(spec: server, keeping: old)
            }
        }
        balancerKind = spec.balancer ?? defaultBalancer
        self.health = health
        self.ejection = ejection
        switch balancerKind {
        case .roundRobin: balancer = SmoothWeightedRoundRobin(levelSizes: spec.levels.map(\.count))
        case .leastRequest: balancer = LeastRequestBalancer()
        case .hash: balancer = ConsistentHashBalancer(levels: spec.levels)
        }
    }

    var name: String { spec.name }
    var allServers: [UpstreamServer] { levels.flatMap { $0 } }

    /// The first level with an available server not already tried wins. When none is available
    /// anywhere (panic mode), every server of the first level is a candidate again: sending
    /// traffic to servers believed bad beats refusing all of it. The tried servers are asked
    /// about one by one, so a request's attempts need no array.
    func choose(hashKey: UInt64?, at now: NIODeadline, wasTried: (UpstreamServer) -> Bool) -> UpstreamServer? {
        for (levelIndex, level) in levels.enumerated() {
            if level.count == 1 {
                // A single server (the usual container app): no candidate list to build.
                if level[0].isAvailable(at: now) && !wasTried(level[0]) { return level[0] }
                continue
            }
            var candidates: [Int] = []
            for (index, server) in level.enumerated() where server.isAvailable(at: now) && !wasTried(server) {
                candidates.append(index)
            }
            if !candidates.isEmpty {
                return level[balancer.pick(level: levelIndex, candidates: candidates, servers: level, hashKey: hashKey)]
            }
        }
        guard let first = levels.first, !first.isEmpty else { return nil }
        let untried = first.indices.filter { !wasTried(first[$0]) }
        guard !untried.isEmpty, isInPanic(at: now) else { return nil }
        return first[balancer.pick(level: 0, candidates: untried, servers: first, hashKey: hashKey)]
    }

    /// True when no server of any level is available.
    func isInPanic(at now: NIODeadline) -> Bool {
        !levels.contains { $0.contains { $0.isAvailable(at: now) } }
    }

    /// Records an attempt's outcome and ejects the server when a passive rule says so, within
    /// `max_ejection_percent` and never leaving the pool without an available server.
    func record(_ outcome: RequestOutcome, for server: UpstreamServer, at now: NIODeadline = .now()) {
        guard server.record(outcome, ejection: ejection, at: now) else { return }
        let reason: String
        switch outcome {
        case .status(let code): reason = "consecutive failures, last status \(code)"
        case .gatewayFailure(let detail): reason = "consecutive gateway failures: \(detail)"
        }
        eject(server, for: nil, reason: reason, at: now, manual: false)
    }

    /// Ejects `server` for `duration` (nil: base_ejection_time × times ejected, capped). Manual
    /// ejections skip the percentage rule but still never take the last available server.
    @discardableResult
    func eject(_ server: UpstreamServer, for duration: Duration?, reason: String, at now: NIODeadline = .now(), manual: Bool) -> Bool {
        ejectionLock.withLock { _ in
            let servers = allServers
            let ejected = servers.filter { $0.state.withLock { $0.isEjected(at: now) } }.count
            let available = servers.filter { $0 !== server && $0.isAvailable(at: now) }.count
            guard available > 0 else { return false }
            if !manual {
                let allowed = max(1, servers.count * ejection.maxEjectionPercent / 100)
                guard ejection.maxEjectionPercent > 0, ejected + 1 <= allowed else { return false }
            }
            server.state.withLock { state in
                state.timesEjected += 1
                let length = duration ?? min(ejection.baseEjectionTime * state.timesEjected, ejection.maxEjectionTime)
                let nanoseconds = length.nanosecondCount
                state.ejectedUntil = now + .nanoseconds(nanoseconds)
                state.ejectedUntilWall = Date().addingTimeInterval(Double(nanoseconds) / 1e9)
                state.consecutive5xx = 0
                state.consecutiveGatewayFailures = 0
                state.changed((manual ? "manual: " : "") + reason)
            }
            return true
        }
    }

    /// Ends an ejection early (Alertman's restore, or an operator).
    func restore(_ server: UpstreamServer, reason: String) {
        server.state.withLock { state in
            state.ejectedUntil = nil
            state.ejectedUntilWall = nil
            state.skippedUntil = nil
            state.consecutive5xx = 0
            state.consecutiveGatewayFailures = 0
            state.changed(reason)
        }
    }

    func server(address: String) -> UpstreamServer? { allServers.first { $0.address == address } }
}
