import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Why an address could not be turned into socket addresses.
public struct AddressResolutionError: Error, Sendable, CustomStringConvertible {
    public let address: HostAndPort
    public let reason: String

    public var description: String { "cannot resolve \(address): \(reason)" }
}

/// Turns `HostAndPort` into socket addresses of the allowed family. IP literals resolve at once;
/// names go through getaddrinfo on NIO's blocking-I/O thread pool, never on a cooperative thread.
public enum AddressResolver {
    public static func resolve(_ address: HostAndPort, family: IPFamily, passive: Bool) async throws -> [SocketAddress] {
        if address.host.isEmpty {
            // Every interface when listening, this host when connecting. IPv4 unless asked for
            // IPv6, so hosts with IPv6 disabled still work.
            let host = family == .v6 ? (passive ? "::" : "::1") : (passive ? "0.0.0.0" : "127.0.0.1")
            return [try SocketAddress(ipAddress: host, port: address.port)]
        }
        if let literal = try? SocketAddress(ipAddress: address.host, port: address.port) {
            guard matches(literal, family) else {
                throw AddressResolutionError(address: address, reason: "an \(literal.protocol == .inet ? "IPv4" : "IPv6") address, but net allows only \(family == .v4 ? "IPv4" : "IPv6")")
            }
            return [literal]
        }
        let found = try await NIOThreadPool.singleton.runIfActive {
            try lookUp(address, family: family, passive: passive)
        }
        guard !found.isEmpty else { throw AddressResolutionError(address: address, reason: "no address of the allowed family") }
        return found
    }

    static func matches(_ address: SocketAddress, _ family: IPFamily) -> Bool {
        switch family {
        case .any: return true
        case .v4: return address.protocol == .inet
        case .v6: return address.protocol == .inet6
        }
    }

    private static func lookUp(_ address: HostAndPort, family: IPFamily, passive: Bool) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = family == .v4 ? AF_INET : family == .v6 ? AF_INET6 : AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        if passive { hints.ai_flags = AI_PASSIVE }
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address.host, String(address.port), &hints, &list)
        guard status == 0 else {
            throw AddressResolutionError(address: address, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var found: [SocketAddress] = []
        var entry = list
        while let info = entry?.pointee {
            defer { entry = info.ai_next }
            guard let raw = info.ai_addr else { continue }
            switch info.ai_family {
            case AF_INET:
                let ipv4 = UnsafeRawPointer(raw).loadUnaligned(as: sockaddr_in.self)
                found.append(SocketAddress(ipv4, host: address.host))
            case AF_INET6:
                let ipv6 = UnsafeRawPointer(raw).loadUnaligned(as: sockaddr_in6.self)
                found.append(SocketAddress(ipv6, host: address.host))
            default:
                continue
            }
        }
        return found
    }
}
