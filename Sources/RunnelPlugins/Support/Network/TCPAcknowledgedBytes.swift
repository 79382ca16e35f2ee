import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// How many bytes of a connection the peer's TCP stack has acknowledged: Linux's
/// `tcp_info.tcpi_bytes_acked` (RFC 4898 tcpEStatsAppHCThruOctetsAcked, Linux 4.1 and later).
/// Glibc's `struct tcp_info` stops before that field, so the kernel's layout is read here.
enum TCPAcknowledgedBytes {
    /// The first 136 bytes of the kernel's `struct tcp_info`; `tcpi_bytes_acked` is at byte 120.
    struct InfoPrefix: Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                    UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var bytesAcked: UInt64 { words.15 }
    }

    struct Unsupported: Error, CustomStringConvertible {
        var description: String { "the channel gives no access to TCP_INFO" }
    }

    /// Acknowledged bytes so far, counted from the start of the connection.
    static func read(_ channel: any Channel) async throws -> UInt64 {
        guard let provider = channel as? any SocketOptionProvider else { throw Unsupported() }
        let info: InfoPrefix = try await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(IPPROTO_TCP), name: SocketOptionName(TCP_INFO)).get()
        return info.bytesAcked
    }
}
