import Synchronization

/// nginx's smooth weighted round robin: every pick adds each candidate's weight to its current
/// weight, takes the largest and subtracts the total from it, spreading heavy servers evenly.
final class SmoothWeightedRoundRobin: Balancer {
    private let currentWeights: Mutex<[[Int]]>

    init(levelSizes: [Int]) {
        currentWeights = Mutex(levelSizes.map { [Int](repeating: 0, count: $0) })
    }

    func pick(level: Int, candidates: [Int], servers: [UpstreamServer], hashKey: UInt64?) -> Int {
        if candidates.count == 1 { return candidates[0] }
        return currentWeights.withLock { weights in
            var best = candidates[0], total = 0
            for index in candidates {
                let weight = servers[index].spec.weight
                weights[level][index] += weight
                total += weight
                if weights[level][index] > weights[level][best] { best = index }
            }
            weights[level][best] -= total
            return best
        }
    }
}
