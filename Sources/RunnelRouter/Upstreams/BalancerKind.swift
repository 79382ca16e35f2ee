/// How an upstream picks a server inside a level.
public enum BalancerKind: Sendable, Equatable {
    /// nginx's smooth weighted round robin (the default).
    case roundRobin
    /// Power of two random choices, the one with fewer active requests wins (weights break ties).
    case leastRequest
    /// Consistent hash ring over the servers, keyed by a request attribute.
    case hash(HashKey)

    public enum HashKey: Sendable, Equatable {
        case header(String)
        case cookie(String)
        case clientIP
    }

    /// Reads `round_robin`, `least_request`, `hash` with `hash_on` = `header:NAME`, `cookie:NAME`
    /// or `ip`; nil with a reason when the text is not one of them.
    public static func parse(_ name: String, hashOn: String?) -> Result<BalancerKind, BalancerParseError> {
        switch name {
        case "round_robin", "roundrobin", "wrr": return .success(.roundRobin)
        case "least_request", "p2c": return .success(.leastRequest)
        case "hash", "consistent_hash":
            guard let hashOn else { return .failure(BalancerParseError("balancer 'hash' needs hash_on (header:NAME, cookie:NAME or ip)")) }
            if hashOn == "ip" || hashOn == "client_ip" { return .success(.hash(.clientIP)) }
            if hashOn.hasPrefix("header:"), hashOn.count > 7 { return .success(.hash(.header(String(hashOn.dropFirst(7)).lowercased()))) }
            if hashOn.hasPrefix("cookie:"), hashOn.count > 7 { return .success(.hash(.cookie(String(hashOn.dropFirst(7))))) }
            return .failure(BalancerParseError("hash_on '\(hashOn)' is not header:NAME, cookie:NAME or ip"))
        default:
            return .failure(BalancerParseError("unknown balancer '\(name)' (round_robin, least_request, hash)"))
        }
    }

    /// The names `parse` reads back: (balancer, hash_on).
    public var names: (balancer: String, hashOn: String?) {
        switch self {
        case .roundRobin: return ("round_robin", nil)
        case .leastRequest: return ("least_request", nil)
        case .hash(.header(let name)): return ("hash", "header:" + name)
        case .hash(.cookie(let name)): return ("hash", "cookie:" + name)
        case .hash(.clientIP): return ("hash", "ip")
        }
    }
}

public struct BalancerParseError: Error, Sendable, Equatable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}
