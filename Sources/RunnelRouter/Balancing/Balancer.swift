/// Picks one server among the available ones of a level. `candidates` holds indices into the
/// level's servers; it is never empty.
protocol Balancer: Sendable {
    func pick(level: Int, candidates: [Int], servers: [UpstreamServer], hashKey: UInt64?) -> Int
}
