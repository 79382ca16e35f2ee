/// One consistent view of every upstream and route. Replaced whole on each change, so a request
/// sees either the old or the new table, never a mix.
struct RouteTable: Sendable {
    var pools: [String: UpstreamPool] = [:]
    var routes = RouteConfig()

    /// Exact name first, then the longest wildcard suffix, then the default route.
    func lookup(host: String) -> UpstreamPool? {
        if let pool = pools[host] { return pool }
        var best: (length: Int, upstream: String)?
        for wildcard in routes.wildcards where host.hasSuffix(wildcard.suffix) && host.count > wildcard.suffix.count {
            if best.map({ wildcard.suffix.count > $0.length }) ?? true { best = (wildcard.suffix.count, wildcard.upstream) }
        }
        if let best, let pool = pools[best.upstream] { return pool }
        return routes.defaultUpstream.flatMap { pools[$0] }
    }
}
