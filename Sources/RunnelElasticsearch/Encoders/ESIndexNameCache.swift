import Synchronization

/// The last index name made legal: consecutive messages mostly render the same raw name (same app,
/// same day), and a name that needs fixing (`/shop/orders-api-…`) would otherwise be rebuilt per
/// message.
final class ESIndexNameCache: Sendable {
    private let last = Mutex<(raw: [UInt8], legal: [UInt8])?>(nil)

    func legalName(_ raw: [UInt8]) -> [UInt8] {
        if let hit = last.withLock({ cached -> [UInt8]? in cached.flatMap { $0.raw == raw ? $0.legal : nil } }) { return hit }
        let legal = ESIndexName.sanitize(raw)
        last.withLock { $0 = (raw, legal) }
        return legal
    }
}
