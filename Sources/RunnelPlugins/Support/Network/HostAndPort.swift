import RunnelCore

/// A `host:port` address as Heka's network plugins wrote it: `127.0.0.1:5565`, `:5565` (every
/// interface), `[::1]:5565`, `logs.example.com:5565`. Port 0 asks the system for a free port.
public struct HostAndPort: Sendable, Equatable, CustomStringConvertible {
    /// Empty means every interface (listening) or this host (connecting).
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Nil when the text is not `host:port` with a port in 0...65535.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count >= 2 else { return nil }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            return nil  // an IPv6 literal needs brackets, or the port is ambiguous
        }
        self.host = host
        self.port = port
    }

    /// Parses a plugin option, reporting a malformed value at the option.
    public static func parse(_ text: String, option: String) throws(PluginBuildError) -> HostAndPort {
        guard let address = HostAndPort(parsing: text) else {
            throw PluginBuildError(key: option, "'\(text)' is not host:port (e.g. \"127.0.0.1:5565\", \":5565\" or \"[::1]:5565\")")
        }
        return address
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Which IP versions a plugin's `net` option allows: Heka's "tcp"/"udp" (either), "tcp4"/"udp4"
/// and "tcp6"/"udp6".
public enum IPFamily: Sendable, Equatable {
    case any, v4, v6

    /// The family for a `net` value of a `transport` ("tcp" or "udp"); nil when it is not one.
    public init?(net: String, transport: String) {
        switch net {
        case transport: self = .any
        case transport + "4": self = .v4
        case transport + "6": self = .v6
        default: return nil
        }
    }
}
