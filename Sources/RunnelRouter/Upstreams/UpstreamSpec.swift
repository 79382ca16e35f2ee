/// The desired state of one upstream: its servers in levels (level 0 first; a later level is a
/// backup used only when every server of the levels before it is unavailable) and its balancer.
public struct UpstreamSpec: Sendable, Equatable {
    public var name: String
    public var levels: [[ServerSpec]]
    /// nil: the `[defaults]` balancer.
    public var balancer: BalancerKind?

    public init(name: String, levels: [[ServerSpec]], balancer: BalancerKind? = nil) {
        self.name = name
        self.levels = levels
        self.balancer = balancer
    }

    public var allServers: [ServerSpec] { levels.flatMap { $0 } }

    /// Slardar's short form: these servers are added to level 0, or replace the server with the
    /// same address wherever it is.
    public mutating func merge(_ servers: [ServerSpec]) {
        if levels.isEmpty { levels = [[]] }
        for server in servers {
            if let level = levels.firstIndex(where: { $0.contains { $0.address == server.address } }),
               let index = levels[level].firstIndex(where: { $0.address == server.address }) {
                levels[level][index] = server
            } else {
                levels[0].append(server)
            }
        }
    }

    /// Removes the servers with these addresses; empty levels disappear.
    public mutating func remove(addresses: Set<String>) {
        levels = levels.map { $0.filter { !addresses.contains($0.address) } }.filter { !$0.isEmpty }
    }
}
