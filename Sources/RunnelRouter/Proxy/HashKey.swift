/// The value a consistent-hash upstream hashes: a header, a cookie or the client address.
enum HashKeyExtraction {
    static func key(for kind: BalancerKind, head: RequestHead, clientIP: String) -> UInt64? {
        guard case .hash(let source) = kind else { return nil }
        switch source {
        case .clientIP:
            return FNV1a.hash(clientIP.utf8)
        case .header(let name):
            return head.firstValue(name.lowercased()).map { FNV1a.hash($0.utf8) }
        case .cookie(let name):
            for header in head.values("cookie") {
                for pair in header.split(separator: ";") {
                    let trimmed = pair.drop { $0 == " " }
                    if trimmed.hasPrefix(name + "=") { return FNV1a.hash(trimmed.dropFirst(name.count + 1).utf8) }
                }
            }
            return nil
        }
    }
}
