import Dispatch
import NIOCore

/// Host names resolved away from the loops (getaddrinfo blocks).
enum HostResolution {
    static func resolve(host: String, port: Int, then done: @escaping @Sendable (Result<SocketAddress, any Error>) -> Void) {
        DispatchQueue.global().async {
            done(Result { try SocketAddress.makeAddressResolvingHost(host, port: port) })
        }
    }
}
