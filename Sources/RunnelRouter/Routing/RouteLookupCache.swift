/// A connection's last route: the host it asked for and the pool that answered, reused while the
/// route table has not changed since (a keep-alive connection usually asks for one host), which
/// saves the table's lock and a string hash per request. Any change to the table is seen by the
/// next request.
struct RouteLookupCache {
    private var generation = -1
    private var host = ""
    private var pool: UpstreamPool?

    mutating func lookup(host: String, in store: RouteStore) -> UpstreamPool? {
        let current = store.generation
        if current == generation && host == self.host { return pool }
        pool = store.lookup(host: host)
        self.host = host
        generation = current
        return pool
    }
}
