/// A hash ring per level with 160 points per unit of weight. A key goes to the first available
/// server clockwise from its hash, so removing a server moves only that server's keys.
struct ConsistentHashBalancer: Balancer {
    private let rings: [[(point: UInt64, server: Int)]]
    private static let pointsPerWeight = 160

    init(levels: [[ServerSpec]]) {
        rings = levels.map { servers in
            var ring: [(point: UInt64, server: Int)] = []
            for (index, server) in servers.enumerated() {
                for replica in 0..<(server.weight * Self.pointsPerWeight) {
                    ring.append((FNV1a.hash(Array("\(server.address)-\(replica)".utf8)), index))
                }
            }
            return ring.sorted { $0.point < $1.point }
        }
    }

    func pick(level: Int, candidates: [Int], servers: [UpstreamServer], hashKey: UInt64?) -> Int {
        guard let hashKey, candidates.count > 1, level < rings.count else {
            return candidates[Int.random(in: 0..<candidates.count)]
        }
        let ring = rings[level]
        var low = 0, high = ring.count
        while low < high {
            let middle = (low + high) / 2
            if ring[middle].point < hashKey { low = middle + 1 } else { high = middle }
        }
        for step in 0..<ring.count {
            let server = ring[(low + step) % ring.count].server
            if candidates.contains(server) { return server }
        }
        return candidates[0]
    }
}

/// 64-bit FNV-1a: fast, stable across runs (unlike `Hasher`), good enough spread for a ring.
enum FNV1a {
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        // Finalise (from MurmurHash3's fmix64) so short keys that differ in one byte spread out.
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
