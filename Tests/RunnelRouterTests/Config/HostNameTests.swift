import Testing
@testable import RunnelRouter

@Suite struct HostNameTests {
    @Test(arguments: [
        ("Example.COM", "example.com"), ("example.com:8080", "example.com"), ("example.com.", "example.com"),
        ("[::1]:80", "::1"), ("", ""),
    ])
    func normalizes(_ input: String, _ expected: String) {
        #expect(HostName.normalize(input) == expected)
    }

    @Test func wildcardLongestSuffixWinsThenDefault() {
        let spec = { (name: String) in UpstreamSpec(name: name, levels: [[ServerSpec(host: "10.0.0.1", port: 80)]]) }
        var table = RouteTable()
        for name in ["exact.example.com", "any", "deep", "fallback"] {
            table.pools[name] = UpstreamPool(spec: spec(name), defaultBalancer: .roundRobin, health: HealthCheckConfig(), ejection: EjectionConfig())
        }
        table.routes = RouteConfig(wildcards: [(".example.com", "any"), (".deep.example.com", "deep")], defaultUpstream: "fallback")
        #expect(table.lookup(host: "exact.example.com")?.name == "exact.example.com")
        #expect(table.lookup(host: "x.example.com")?.name == "any")
        #expect(table.lookup(host: "x.deep.example.com")?.name == "deep")
        #expect(table.lookup(host: "example.com")?.name == "fallback")
        table.routes.defaultUpstream = nil
        #expect(table.lookup(host: "other.org") == nil)
    }
}
