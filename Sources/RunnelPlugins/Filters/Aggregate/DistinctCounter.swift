import RunnelCore

/// Counts the distinct values of one variable within one group and interval, up to `limit`
/// (beyond it the count stays at the limit and `saturated` is set: a lower bound).
///
/// Values are kept as 64-bit hashes, not copies of their bytes: 8 bytes each however long the
/// value, and a collision among a few thousand values has a probability near 2^-40. (Hashes are
/// seeded per process, so they are only compared within one run.)
struct DistinctCounter {
    private var hashes: Set<Int> = []
    private(set) var saturated = false

    @inline(__always)
    mutating func add(_ value: ByteString, limit: Int) {
        var hasher = Hasher()
        GroupKey.combine(value, into: &hasher)
        let hash = hasher.finalize()
        if hashes.count < limit {
            hashes.insert(hash)
        } else if !hashes.contains(hash) {
            saturated = true
        }
    }

    var count: Int { hashes.count }
}
