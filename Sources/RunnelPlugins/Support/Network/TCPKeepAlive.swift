import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Heka's `keep_alive` and `keep_alive_period`: TCP keepalive probes on an established connection,
/// the first after `period` of silence (Go, which Heka used, also probes at that interval).
public struct TCPKeepAlive: Sendable, Equatable {
    public var enabled: Bool
    public var period: Duration

    public init(enabled: Bool = false, period: Duration = .seconds(7200)) {
        self.enabled = enabled
        self.period = period
    }

    /// Applies the settings to a connected channel; call on its event loop.
    func apply(to channel: any Channel) throws {
        guard enabled, let options = channel.syncOptions else { return }
        try options.setOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
        let seconds = SocketOptionValue(clamping: max(1, period.components.seconds))
        let tcp = NIOBSDSocket.OptionLevel(rawValue: CInt(IPPROTO_TCP))
        try options.setOption(ChannelOptions.Types.SocketOption(level: tcp, name: .init(rawValue: TCP_KEEPIDLE)), value: seconds)
        try options.setOption(ChannelOptions.Types.SocketOption(level: tcp, name: .init(rawValue: TCP_KEEPINTVL)), value: seconds)
    }
}
