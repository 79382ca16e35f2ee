#if canImport(Glibc)
import Glibc
#endif

/// Free TCP ports on 127.0.0.1 for tests that must know a port before anything listens on it.
public enum LoopbackPort {
    /// Below the kernel's ephemeral range (32768 and up, `ip_local_port_range`). A test that stops
    /// a server and starts another on its port takes it from here: a released ephemeral port can
    /// be handed at once to another test's outgoing connection or `bind(0)` listener.
    public static let stableRange = 20_000..<32_000

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String { "no free loopback port" }
    }

    /// A port the kernel picks (`bind` to 0, read back, released).
    public static func ephemeral() throws -> Int {
        for _ in 0..<10 {
            if let port = bind(port: 0) { return port }
        }
        throw Unavailable()
    }

    /// A port from `stableRange` that nothing is bound to now.
    public static func stable() throws -> Int {
        for _ in 0..<100 {
            if let port = bind(port: Int.random(in: stableRange)) { return port }
        }
        throw Unavailable()
    }

    /// Binds a TCP socket to 127.0.0.1:`port` and closes it; the port it got, or nil when taken.
    private static func bind(port: Int) -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
