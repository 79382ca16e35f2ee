/// Power of two choices: two random candidates, the one with fewer active requests per unit of
/// weight wins. Cheap, and avoids the herd that "least of all" causes across event loops.
struct LeastRequestBalancer: Balancer {
    func pick(level: Int, candidates: [Int], servers: [UpstreamServer], hashKey: UInt64?) -> Int {
        guard candidates.count > 1 else { return candidates[0] }
        let first = candidates[Int.random(in: 0..<candidates.count)]
        var second = candidates[Int.random(in: 0..<(candidates.count - 1))]
        if second == first { second = candidates[candidates.count - 1] }
        return load(servers[first]) <= load(servers[second]) ? first : second
    }

    private func load(_ server: UpstreamServer) -> Double {
        Double(server.activeRequests.load(ordering: .relaxed) + 1) / Double(server.spec.weight)
    }
}
