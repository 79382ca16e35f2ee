import Foundation
import RunnelCore

/// Reads and validates `router.toml`. Every problem is reported at once, each naming file, line,
/// section and key; the config is returned only when there is no error.
public struct RouterConfigLoader: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public struct Result: Sendable {
        public var config: RouterConfig?
        public var diagnostics: [ConfigDiagnostic]
    }

    public func load(path: String) -> Result {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Result(config: nil, diagnostics: [ConfigDiagnostic(
                severity: .error, file: path, line: 0, message: "cannot read configuration file '\(path)'")])
        }
        return load(bytes: [UInt8](data), fileName: path)
    }

    public func load(text: String, fileName: String = "router.toml") -> Result {
        load(bytes: Array(text.utf8), fileName: fileName)
    }

    func load(bytes: [UInt8], fileName: String) -> Result {
        let root: ConfigTable
        do {
            root = try TOML.parse(bytes: bytes, fileName: fileName)
        } catch {
            return Result(config: nil, diagnostics: [ConfigDiagnostic(
                severity: .error, file: error.location.file, line: error.location.line, column: error.location.column,
                message: error.description)])
        }
        var reader = TableReader(root, section: "router.toml", file: fileName)
        var config = RouterConfig()
        var diagnostics: [ConfigDiagnostic] = []
        func run(_ key: String, _ body: (inout TableReader) -> Void) {
            guard let table = reader.table(key) else { return }
            var nested = TableReader(table, section: key, file: fileName, location: root.entry(key)?.keyLocation)
            body(&nested)
            diagnostics += nested.diagnostics
        }
        run("router") { readRouter(&$0, into: &config) }
        readListeners(&reader, into: &config, diagnostics: &diagnostics)
        run("admin") { readAdmin(&$0, into: &config) }
        run("defaults") { readDefaults(&$0, into: &config, diagnostics: &diagnostics) }
        run("routes") { readRoutes(&$0, into: &config) }
        run("upstream") { readUpstreams(&$0, into: &config, diagnostics: &diagnostics) }
        run("access_log") { readAccessLog(&$0, into: &config) }
        reader.finish(known: ["router", "listener", "admin", "defaults", "routes", "upstream", "access_log"])
        diagnostics = reader.diagnostics + diagnostics
        diagnostics += crossChecks(config, fileName: fileName)
        let failed = diagnostics.contains { $0.severity == .error }
        return Result(config: failed ? nil : config, diagnostics: diagnostics)
    }

    private func readRouter(_ reader: inout TableReader, into config: inout RouterConfig) {
        config.stateDirectory = reader.string("state_dir")
        config.eventLoops = reader.integer("event_loops", in: 1...256)
        reader.finish(known: ["state_dir", "event_loops"])
    }

    private func readListeners(_ reader: inout TableReader, into config: inout RouterConfig, diagnostics: inout [ConfigDiagnostic]) {
        guard let items = reader.array("listener") else { return }
        for (index, item) in items.enumerated() {
            guard let table = item.tableValue else {
                reader.problem("listener", item, "each [[listener]] must be a table") as Void?
                continue
            }
            var nested = reader.nested(table, key: "listener[\(index)]", at: item.location)
            if let address = nested.address("address") {
                config.listeners.append(ListenerConfig(address: address, proto: nested.string("proto") ?? "http"))
            } else if table["address"] == nil {
                nested.problem("address", item, "[[listener]] needs 'address' (host:port)") as Void?
            }
            _ = nested.string("proto")
            nested.finish(known: ["address", "proto"])
            diagnostics += nested.diagnostics
        }
    }

    private func readAdmin(_ reader: inout TableReader, into config: inout RouterConfig) {
        if let address = reader.address("address") { config.admin.address = address }
        config.admin.token = reader.string("token")
        if let variable = reader.string("token_env") {
            if let token = environment[variable], !token.isEmpty {
                config.admin.token = token
            } else {
                reader.problem("token_env", reader.table["token_env"], "environment variable '\(variable)' named by 'token_env' is not set") as Void?
            }
        }
        if let flag = reader.bool("allow_unauthenticated_status") { config.admin.allowUnauthenticatedStatus = flag }
        reader.finish(known: ["address", "token", "token_env", "allow_unauthenticated_status"])
    }

    private func readDefaults(_ reader: inout TableReader, into config: inout RouterConfig, diagnostics: inout [ConfigDiagnostic]) {
        var defaults = config.defaults
        if let balancer = readBalancer(&reader) { defaults.balancer = balancer }
        if let size = reader.byteSize("max_header_size") { defaults.maxHeaderSize = max(1024, size) }
        if let size = reader.byteSize("max_body_size") { defaults.maxBodySize = size }
        if let value = reader.duration("client_header_timeout") { defaults.clientHeaderTimeout = value }
        if let value = reader.duration("client_idle_timeout") { defaults.clientIdleTimeout = value }
        if let value = reader.duration("connect_timeout") { defaults.connectTimeout = value }
        if let value = reader.duration("upstream_read_timeout") { defaults.upstreamReadTimeout = value }
        if let value = reader.duration("upstream_idle_timeout") { defaults.upstreamIdleTimeout = value }
        if let value = reader.integer("keepalive", in: 0...100_000) { defaults.keepalivePerServer = value }
        if let value = reader.integer("tries", in: 1...100) { defaults.tries = value }
        if let value = reader.duration("retry_budget") { defaults.retryBudget = value }
        config.defaults = defaults
        if let table = reader.table("health") {
            var nested = reader.nested(table, key: "health", at: reader.table.entry("health")?.keyLocation)
            config.health = readHealth(&nested, base: config.health)
            diagnostics += nested.diagnostics
        }
        if let table = reader.table("ejection") {
            var nested = reader.nested(table, key: "ejection", at: reader.table.entry("ejection")?.keyLocation)
            config.ejection = readEjection(&nested)
            diagnostics += nested.diagnostics
        }
        reader.finish(known: ["balancer", "hash_on", "max_header_size", "max_body_size", "client_header_timeout",
                              "client_idle_timeout", "connect_timeout", "upstream_read_timeout", "upstream_idle_timeout",
                              "keepalive", "tries", "retry_budget", "health", "ejection"])
    }

    func readBalancer(_ reader: inout TableReader) -> BalancerKind? {
        let hashOn = reader.string("hash_on")
        guard let name = reader.string("balancer") else {
            if hashOn != nil { return reader.problem("hash_on", reader.table["hash_on"], "'hash_on' needs balancer = \"hash\"") }
            return nil
        }
        switch BalancerKind.parse(name, hashOn: hashOn) {
        case .success(let kind): return kind
        case .failure(let error): return reader.problem("balancer", reader.table["balancer"], error.reason)
        }
    }

    func readHealth(_ reader: inout TableReader, base: HealthCheckConfig) -> HealthCheckConfig {
        var health = base
        if let value = reader.duration("interval") { health.interval = value }
        if let value = reader.duration("timeout") { health.timeout = value }
        if let value = reader.duration("jitter") { health.jitter = value }
        if let value = reader.string("path") {
            if value.hasPrefix("/") { health.path = value } else { reader.problem("path", reader.table["path"], "'path' must start with '/'") as Void? }
        }
        if let value = reader.integer("rise", in: 1...1000) { health.rise = value }
        if let value = reader.integer("fall", in: 1...1000) { health.fall = value }
        if let items = reader.array("statuses") {
            let ranges = items.compactMap(Self.statusRange)
            if ranges.count == items.count, !ranges.isEmpty {
                health.statuses = ranges
            } else {
                reader.problem("statuses", reader.table["statuses"],
                               "'statuses' must list status codes or ranges such as \"200-399\"") as Void?
            }
        }
        reader.finish(known: ["interval", "timeout", "jitter", "path", "rise", "fall", "statuses"])
        return health
    }

    private static func statusRange(_ value: ConfigValue) -> ClosedRange<Int>? {
        if let code = value.integerValue, (100...599).contains(code) { return Int(code)...Int(code) }
        guard let text = value.stringValue else { return nil }
        let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if parts.count == 1, let code = parts[0], (100...599).contains(code) { return code...code }
        guard parts.count == 2, let low = parts[0], let high = parts[1], 100 <= low, low <= high, high <= 599 else { return nil }
        return low...high
    }

    private func readEjection(_ reader: inout TableReader) -> EjectionConfig {
        var ejection = EjectionConfig()
        if let value = reader.integer("consecutive_5xx", in: 0...100_000) { ejection.consecutive5xx = value }
        if let value = reader.integer("consecutive_gateway_failures", in: 0...100_000) { ejection.consecutiveGatewayFailures = value }
        if let value = reader.duration("base_ejection_time") { ejection.baseEjectionTime = value }
        if let value = reader.duration("max_ejection_time") { ejection.maxEjectionTime = value }
        if let value = reader.integer("max_ejection_percent", in: 0...100) { ejection.maxEjectionPercent = value }
        reader.finish(known: ["consecutive_5xx", "consecutive_gateway_failures", "base_ejection_time", "max_ejection_time",
                              "max_ejection_percent"])
        return ejection
    }

    private func readRoutes(_ reader: inout TableReader, into config: inout RouterConfig) {
        for key in reader.table.keys {
            guard let name = reader.string(key) else { continue }
            if key == "default" {
                config.routes.defaultUpstream = name
            } else if key.hasPrefix("*."), key.count > 2 {
                config.routes.wildcards.append((suffix: String(key.dropFirst(1)).lowercased(), upstream: name))
            } else {
                reader.problem(key, reader.table[key], "route '\(key)' must be 'default' or a wildcard such as '*.example.com'") as Void?
            }
        }
    }

    private func readUpstreams(_ reader: inout TableReader, into config: inout RouterConfig, diagnostics: inout [ConfigDiagnostic]) {
        for key in reader.table.keys {
            guard let table = reader.table(key) else { continue }
            var nested = reader.nested(table, key: key, at: reader.table.entry(key)?.keyLocation)
            var spec = UpstreamSpec(name: key.lowercased(), levels: [], balancer: readBalancer(&nested))
            if let servers = nested.array("servers") {
                spec.levels = [readServers(servers, &nested, key: "servers")]
            }
            if let cluster = nested.array("cluster") {
                if !spec.levels.isEmpty { nested.problem("cluster", table["cluster"], "give 'servers' or 'cluster', not both") as Void? }
                for level in cluster {
                    guard let servers = level.tableValue?["servers"]?.arrayValue else {
                        nested.problem("cluster", level, "each 'cluster' level must be a table with 'servers'") as Void?
                        continue
                    }
                    spec.levels.append(readServers(servers, &nested, key: "cluster"))
                }
            }
            if spec.allServers.isEmpty && nested.diagnostics.isEmpty {
                nested.problem("servers", nil, "upstream '\(key)' has no servers") as Void?
            }
            if let health = nested.table("health") {
                var healthReader = nested.nested(health, key: "health", at: table.entry("health")?.keyLocation)
                config.upstreamHealth[spec.name] = readHealth(&healthReader, base: config.health)
                diagnostics += healthReader.diagnostics
            }
            nested.finish(known: ["servers", "cluster", "balancer", "hash_on", "health"])
            diagnostics += nested.diagnostics
            config.upstreams.append(spec)
        }
    }

    private func readServers(_ values: [ConfigValue], _ reader: inout TableReader, key: String) -> [ServerSpec] {
        values.compactMap { value in
            switch ServerSpecReading.read(value) {
            case .success(let server): return server
            case .failure(let error): return reader.problem(key, value, error.reason)
            }
        }
    }

    private func readAccessLog(_ reader: inout TableReader, into config: inout RouterConfig) {
        let tcp = reader.address("tcp_address")
        let file = reader.string("file")
        switch (tcp, file) {
        case (let address?, nil): config.accessLog.destination = .tcp(address)
        case (nil, let path?): config.accessLog.destination = .file(path)
        case (.some, .some): reader.problem("file", reader.table["file"], "give 'tcp_address' or 'file', not both") as Void?
        case (nil, nil): break
        }
        if let value = reader.integer("buffer_records", in: 1...10_000_000) { config.accessLog.bufferRecords = value }
        config.accessLog.hostname = reader.string("hostname")
        reader.finish(known: ["tcp_address", "file", "buffer_records", "hostname"])
    }

    private func crossChecks(_ config: RouterConfig, fileName: String) -> [ConfigDiagnostic] {
        var problems: [ConfigDiagnostic] = []
        if config.listeners.isEmpty {
            problems.append(ConfigDiagnostic(severity: .warning, file: fileName, line: 0,
                                             message: "no [[listener]]: the router serves only its admin API"))
        }
        let names = Set(config.upstreams.map(\.name))
        let routed = config.routes.wildcards.map(\.upstream) + (config.routes.defaultUpstream.map { [$0] } ?? [])
        for upstream in routed where !names.contains(upstream) {
            problems.append(ConfigDiagnostic(
                severity: .warning, file: fileName, line: 0, section: "routes",
                message: "[routes] names upstream '\(upstream)', which this file does not define; it has to come from the API",
                suggestion: DidYouMean.suggestion(for: upstream, among: names)))
        }
        return problems
    }
}
