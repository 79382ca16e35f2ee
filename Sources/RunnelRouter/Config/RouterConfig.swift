/// Everything `router.toml` says, validated. Defaults are filled in.
public struct RouterConfig: Sendable, Equatable {
    public var listeners: [ListenerConfig]
    public var admin: AdminConfig
    public var stateDirectory: String?
    /// Event-loop threads serving the proxy listeners; nil means one per core (nginx's
    /// `worker_processes auto`). Needs a restart to change.
    public var eventLoops: Int?
    public var defaults: ProxyDefaults
    public var health: HealthCheckConfig
    public var ejection: EjectionConfig
    public var routes: RouteConfig
    public var upstreams: [UpstreamSpec]
    /// Per-upstream health check overrides from `[upstream.NAME.health]`.
    public var upstreamHealth: [String: HealthCheckConfig]
    public var accessLog: AccessLogConfig

    public init(
        listeners: [ListenerConfig] = [], admin: AdminConfig = AdminConfig(), stateDirectory: String? = nil,
        defaults: ProxyDefaults = ProxyDefaults(), health: HealthCheckConfig = HealthCheckConfig(),
        ejection: EjectionConfig = EjectionConfig(), routes: RouteConfig = RouteConfig(), upstreams: [UpstreamSpec] = [],
        upstreamHealth: [String: HealthCheckConfig] = [:], accessLog: AccessLogConfig = AccessLogConfig()
    ) {
        self.listeners = listeners
        self.admin = admin
        self.stateDirectory = stateDirectory
        self.defaults = defaults
        self.health = health
        self.ejection = ejection
        self.routes = routes
        self.upstreams = upstreams
        self.upstreamHealth = upstreamHealth
        self.accessLog = accessLog
    }
}

/// `host:port` split once at load time.
public struct BindAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `host:port` or `[v6]:port`; nil when it is not one.
    public static func parse(_ text: String) -> BindAddress? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return BindAddress(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct ListenerConfig: Sendable, Equatable {
    public var address: BindAddress
    /// The scheme clients used, sent upstream as `X-Forwarded-Proto`.
    public var proto: String

    public init(address: BindAddress, proto: String = "http") {
        self.address = address
        self.proto = proto
    }
}

public struct AdminConfig: Sendable, Equatable {
    public var address: BindAddress
    /// Bearer token for writes and `/upstreams`; nil means every protected request gets 401.
    public var token: String?
    public var allowUnauthenticatedStatus: Bool

    public init(address: BindAddress = BindAddress(host: "127.0.0.1", port: 1995), token: String? = nil,
                allowUnauthenticatedStatus: Bool = false) {
        self.address = address
        self.token = token
        self.allowUnauthenticatedStatus = allowUnauthenticatedStatus
    }
}

/// Limits, timeouts, retries and pooling that apply to every request; SIGHUP replaces them.
public struct ProxyDefaults: Sendable, Equatable {
    public var balancer: BalancerKind = .roundRobin
    public var maxHeaderSize = 64 * 1024
    public var maxBodySize = 100 * 1024 * 1024
    public var clientHeaderTimeout: Duration = .seconds(10)
    public var clientIdleTimeout: Duration = .seconds(60)
    public var connectTimeout: Duration = .seconds(2)
    public var upstreamReadTimeout: Duration = .seconds(60)
    public var upstreamIdleTimeout: Duration = .seconds(60)
    /// Idle keep-alive connections kept per upstream server on each event loop.
    public var keepalivePerServer = 64
    public var tries = 3
    public var retryBudget: Duration = .seconds(10)

    public init() {}
}

public struct HealthCheckConfig: Sendable, Equatable {
    /// Zero disables active checks.
    public var interval: Duration = .zero
    public var timeout: Duration = .seconds(1)
    public var path = "/"
    public var statuses: [ClosedRange<Int>] = [200...399]
    public var rise = 2
    public var fall = 3
    /// Each round starts up to this much later than `interval`, so upstreams do not probe in step.
    public var jitter: Duration = .zero

    public init() {}

    public func allows(status: Int) -> Bool { statuses.contains { $0.contains(status) } }
}

public struct EjectionConfig: Sendable, Equatable {
    /// Zero disables the rule.
    public var consecutive5xx = 5
    public var consecutiveGatewayFailures = 5
    public var baseEjectionTime: Duration = .seconds(30)
    public var maxEjectionTime: Duration = .seconds(300)
    public var maxEjectionPercent = 50

    public init() {}
}

/// Host patterns (`*.example.com`) to upstream names, and the upstream for hosts nothing matches.
public struct RouteConfig: Sendable, Equatable {
    public var wildcards: [(suffix: String, upstream: String)] = []
    public var defaultUpstream: String?

    public init(wildcards: [(suffix: String, upstream: String)] = [], defaultUpstream: String? = nil) {
        self.wildcards = wildcards
        self.defaultUpstream = defaultUpstream
    }

    public static func == (lhs: RouteConfig, rhs: RouteConfig) -> Bool {
        lhs.defaultUpstream == rhs.defaultUpstream && lhs.wildcards.elementsEqual(rhs.wildcards) { $0 == $1 }
    }
}

public struct AccessLogConfig: Sendable, Equatable {
    public enum Destination: Sendable, Equatable {
        case none
        /// A Runnel agent's TcpInput: Heka stream framing.
        case tcp(BindAddress)
        /// One JSON record per line.
        case file(String)
    }

    public var destination: Destination = .none
    /// Records held while the destination is slow or away; beyond this they are dropped and counted.
    public var bufferRecords = 10_000
    public var hostname: String?

    public init(destination: Destination = .none) { self.destination = destination }
}
