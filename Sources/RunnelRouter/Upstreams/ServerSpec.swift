/// One upstream server as configured or sent to the API (Slardar's server object).
public struct ServerSpec: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var weight: Int
    /// nginx semantics: after `maxFails` failures within `failTimeout` seconds the server is
    /// skipped for `failTimeout` seconds; 0 disables the rule.
    public var maxFails: Int
    public var failTimeout: Int

    public init(host: String, port: Int, weight: Int = 1, maxFails: Int = 0, failTimeout: Int = 10) {
        self.host = host
        self.port = port
        self.weight = weight
        self.maxFails = maxFails
        self.failTimeout = failTimeout
    }

    /// `host:port`, brackets around IPv6 literals; the identity of a server inside an upstream.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
