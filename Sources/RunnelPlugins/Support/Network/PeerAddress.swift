import NIOCore
import RunnelCore

/// How a remote socket address appears in messages: the IP alone (Hostname) and IP with port
/// (Logger, which tells one connection from another).
struct PeerAddress: Sendable, Equatable {
    let ip: ByteString
    let ipAndPort: ByteString

    init(_ address: SocketAddress?) {
        guard let address, let ip = address.ipAddress else {
            self.ip = "unknown"
            self.ipAndPort = "unknown"
            return
        }
        let port = address.port ?? 0
        self.ip = ByteString(ip)
        self.ipAndPort = ByteString(address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)")
    }
}
