/// How one proxied attempt ended, as passive health checking sees it.
enum RequestOutcome: Sendable {
    /// The upstream answered with this status.
    case status(Int)
    /// Connect error, reset, timeout or malformed response: the server never gave a usable answer.
    case gatewayFailure(String)

    var isGatewayFailure: Bool {
        switch self {
        case .status(let code): return code == 502 || code == 503 || code == 504
        case .gatewayFailure: return true
        }
    }

    var is5xx: Bool {
        switch self {
        case .status(let code): return code >= 500
        case .gatewayFailure: return true
        }
    }
}
