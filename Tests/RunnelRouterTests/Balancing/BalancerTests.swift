import NIOCore
import Testing
@testable import RunnelRouter

extension UpstreamPool {
    /// The choice for a request that already tried `tried`.
    fileprivate func choose(excluding tried: [UpstreamServer], hashKey: UInt64?, at now: NIODeadline) -> UpstreamServer? {
        choose(hashKey: hashKey, at: now) { server in tried.contains { $0 === server } }
    }
}

@Suite struct BalancerTests {
    private func pool(_ weights: [Int], balancer: BalancerKind = .roundRobin, levels: Int = 1) -> UpstreamPool {
        let servers = weights.enumerated().map { ServerSpec(host: "10.0.0.\($0.offset + 1)", port: 80, weight: $0.element) }
        var spec = UpstreamSpec(name: "app", levels: [servers], balancer: balancer)
        if levels == 2 { spec.levels.append([ServerSpec(host: "10.0.1.1", port: 80)]) }
        return UpstreamPool(spec: spec, defaultBalancer: .roundRobin, health: HealthCheckConfig(), ejection: EjectionConfig())
    }

    @Test func smoothWeightedRoundRobinMatchesNginxSequence() {
        let pool = pool([5, 1, 1])
        let picks = (0..<7).compactMap { _ in pool.choose(excluding: [], hashKey: nil, at: .now())?.spec.host }
        #expect(picks == ["10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3", "10.0.0.1", "10.0.0.1"])
    }

    @Test func triedServersAreSkipped() throws {
        let pool = pool([1, 1])
        let first = try #require(pool.choose(excluding: [], hashKey: nil, at: .now()))
        let second = try #require(pool.choose(excluding: [first], hashKey: nil, at: .now()))
        #expect(first !== second)
        #expect(pool.choose(excluding: [first, second], hashKey: nil, at: .now()) == nil)
    }

    @Test func backupLevelOnlyWhenPrimaryLevelIsUnavailable() throws {
        let pool = pool([1], levels: 2)
        #expect(pool.choose(excluding: [], hashKey: nil, at: .now())?.spec.host == "10.0.0.1")
        let primary = try #require(pool.levels.first?.first)
        #expect(pool.eject(primary, for: .seconds(60), reason: "test", manual: true))
        #expect(pool.choose(excluding: [], hashKey: nil, at: .now())?.spec.host == "10.0.1.1")
        pool.restore(primary, reason: "test")
        #expect(pool.choose(excluding: [], hashKey: nil, at: .now())?.spec.host == "10.0.0.1")
    }

    @Test func consistentHashIsStableAndMovesOnlyTheRemovedServersKeys() {
        let before = pool([1, 1, 1], balancer: .hash(.clientIP))
        let keys = (0..<300).map { FNV1a.hash(Array("client-\($0)".utf8)) }
        let first = keys.map { before.choose(excluding: [], hashKey: $0, at: .now())?.spec.host }
        let again = keys.map { before.choose(excluding: [], hashKey: $0, at: .now())?.spec.host }
        #expect(first == again)
        #expect(Set(first).count == 3)
        let removed = before.levels[0][2]
        let after = keys.map { before.choose(excluding: [removed], hashKey: $0, at: .now())?.spec.host }
        for (old, new) in zip(first, after) where old != "10.0.0.3" {
            #expect(old == new)
        }
    }

    @Test func leastRequestPrefersTheIdleServer() {
        let pool = pool([1, 1], balancer: .leastRequest)
        pool.levels[0][0].activeRequests.store(50, ordering: .relaxed)
        let picks = (0..<20).compactMap { _ in pool.choose(excluding: [], hashKey: nil, at: .now())?.spec.host }
        #expect(picks.allSatisfy { $0 == "10.0.0.2" })
    }

    @Test func passiveEjectionRespectsPercentAndNeverTheLastServer() throws {
        var ejection = EjectionConfig()
        ejection.consecutive5xx = 2
        ejection.maxEjectionPercent = 100
        let servers = [ServerSpec(host: "10.0.0.1", port: 80), ServerSpec(host: "10.0.0.2", port: 80)]
        let pool = UpstreamPool(spec: UpstreamSpec(name: "app", levels: [servers]), defaultBalancer: .roundRobin,
                                health: HealthCheckConfig(), ejection: ejection)
        let now = NIODeadline.now()
        for server in pool.allServers {
            pool.record(.status(503), for: server, at: now)
            pool.record(.status(503), for: server, at: now)
        }
        let ejected = pool.allServers.filter { $0.state.withLock { $0.isEjected(at: now) } }
        #expect(ejected.count == 1)
        #expect(!pool.isInPanic(at: now))
    }

    @Test func ejectionTimeGrowsWithTimesEjectedAndIsCapped() throws {
        var ejection = EjectionConfig()
        ejection.baseEjectionTime = .seconds(10)
        ejection.maxEjectionTime = .seconds(25)
        let servers = [ServerSpec(host: "10.0.0.1", port: 80), ServerSpec(host: "10.0.0.2", port: 80)]
        let pool = UpstreamPool(spec: UpstreamSpec(name: "app", levels: [servers]), defaultBalancer: .roundRobin,
                                health: HealthCheckConfig(), ejection: ejection)
        let server = pool.levels[0][0]
        var lengths: [Int64] = []
        var now = NIODeadline.now()
        for _ in 0..<3 {
            #expect(pool.eject(server, for: nil, reason: "test", at: now, manual: false))
            let until = try #require(server.state.withLock { $0.ejectedUntil })
            lengths.append((until - now).nanoseconds / 1_000_000_000)
            now = until + .seconds(1)
        }
        #expect(lengths == [10, 20, 25])
    }
}
