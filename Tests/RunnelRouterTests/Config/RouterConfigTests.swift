import RunnelCore
import Testing
@testable import RunnelRouter

@Suite struct RouterConfigTests {
    @Test func readsEverySection() throws {
        let text = """
            [router]
            state_dir = "/tmp/state"
            event_loops = 3

            [[listener]]
            address = "0.0.0.0:8080"
            proto = "https"

            [admin]
            address = "127.0.0.1:2000"
            token_env = "ROUTER_TOKEN"
            allow_unauthenticated_status = true

            [defaults]
            balancer = "least_request"
            max_header_size = "32KiB"
            connect_timeout = "250ms"
            tries = 4

            [defaults.health]
            interval = "2s"
            statuses = [200, "300-302"]
            rise = 1
            fall = 2

            [defaults.ejection]
            consecutive_5xx = 3
            base_ejection_time = "10s"

            [routes]
            default = "fallback"
            "*.apps.example.com" = "apps"

            [upstream.apps]
            balancer = "hash"
            hash_on = "cookie:session"
            cluster = [
              { servers = [{ host = "10.0.0.1", port = 80, weight = 3 }] },
              { servers = [{ host = "10.0.0.9", port = 80 }] },
            ]

            [upstream.fallback]
            servers = [{ host = "10.0.0.2", port = 8080 }]
            [upstream.fallback.health]
            path = "/ping"

            [access_log]
            tcp_address = "127.0.0.1:5565"
            buffer_records = 100
            """
        let result = RouterConfigLoader(environment: ["ROUTER_TOKEN": "s3cret"]).load(text: text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let config = try #require(result.config)
        #expect(config.listeners == [ListenerConfig(address: BindAddress(host: "0.0.0.0", port: 8080), proto: "https")])
        #expect(config.eventLoops == 3)
        #expect(config.admin.token == "s3cret")
        #expect(config.admin.allowUnauthenticatedStatus)
        #expect(config.defaults.balancer == .leastRequest)
        #expect(config.defaults.maxHeaderSize == 32 * 1024)
        #expect(config.defaults.connectTimeout == .milliseconds(250))
        #expect(config.defaults.tries == 4)
        #expect(config.health.interval == .seconds(2))
        #expect(config.health.allows(status: 301) && !config.health.allows(status: 204))
        #expect(config.ejection.consecutive5xx == 3)
        #expect(config.routes.defaultUpstream == "fallback")
        #expect(config.routes.wildcards.first?.suffix == ".apps.example.com")
        let apps = try #require(config.upstreams.first { $0.name == "apps" })
        #expect(apps.levels.count == 2)
        #expect(apps.levels[0][0].weight == 3)
        #expect(apps.balancer == .hash(.cookie("session")))
        #expect(config.upstreamHealth["fallback"]?.path == "/ping")
        #expect(config.upstreamHealth["fallback"]?.interval == .seconds(2))
        #expect(config.accessLog.destination == .tcp(BindAddress(host: "127.0.0.1", port: 5565)))
    }

    @Test func reportsEveryErrorWithFileLineAndKey() {
        let text = """
            [defaults]
            tries = "three"
            conect_timeout = "1s"

            [upstream.web]
            servers = [{ host = "10.0.0.1" }]

            [admin]
            token_env = "MISSING_VARIABLE"
            """
        let result = RouterConfigLoader(environment: [:]).load(text: text, fileName: "router.toml")
        #expect(result.config == nil)
        let messages = result.diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(messages.contains { $0.contains("'tries' must be an integer") && $0.contains("router.toml:2") })
        #expect(messages.contains { $0.contains("unknown option 'conect_timeout' in [defaults] (router.toml:3)") && $0.contains("did you mean 'connect_timeout'?") })
        #expect(messages.contains { $0.contains("needs 'port'") && $0.contains("router.toml:6") })
        #expect(messages.contains { $0.contains("MISSING_VARIABLE") && $0.contains("router.toml:9") })
        #expect(result.diagnostics.first { $0.message.contains("conect_timeout") }?.key == "conect_timeout")
    }

    @Test func eventLoopsDefaultToOnePerCoreAndMustBePositive() throws {
        let unset = try #require(RouterConfigLoader().load(text: "[router]\nstate_dir = \"/tmp/x\"\n").config)
        #expect(unset.eventLoops == nil)
        let zero = RouterConfigLoader().load(text: "[router]\nevent_loops = 0\n")
        #expect(zero.config == nil)
        #expect(zero.diagnostics.contains { $0.key == "event_loops" && $0.line == 2 })
    }

    @Test func routesToUpstreamsNotInTheFileAreWarnedAbout() throws {
        let result = RouterConfigLoader().load(text: """
            [routes]
            default = "fallbak"
            [upstream.fallback]
            servers = [{ host = "10.0.0.1", port = 80 }]
            """)
        #expect(result.config != nil)
        let warning = try #require(result.diagnostics.first { $0.message.contains("'fallbak'") })
        #expect(warning.severity == .warning && warning.suggestion == "did you mean 'fallback'?")
    }

    @Test func syntaxErrorsKeepTheirLocation() {
        let result = RouterConfigLoader().load(text: "[defaults\ntries = 1\n", fileName: "r.toml")
        #expect(result.config == nil)
        #expect(result.diagnostics.first?.line == 1)
    }
}
