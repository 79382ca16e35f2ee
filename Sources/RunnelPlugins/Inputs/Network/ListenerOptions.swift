import NIOCore
import RunnelCore

/// What TcpInput and UdpInput share: where they listen and how their bytes become records.
public struct ListenerOptions: Sendable {
    public var address: HostAndPort
    public var family: IPFamily = .any
    /// The splitter when the section names none.
    public var defaultSplitter: NetworkDefaultSplitter
    /// Decode Heka frames when no decoder is configured (Heka's default ProtobufDecoder).
    public var decodeFramesWithoutDecoder = true
    /// SO_RCVBUF (for TCP set on the listener, so accepted connections inherit it and their window
    /// scaling matches); the system's default or autotuning when nil.
    public var receiveBufferBytes: Int?
    /// Where the bound `host:port` is written (`base_dir/<name>.addr`), if anywhere.
    public var addressFile: String?
    /// Told the bound address once listening (tests use it to find port 0's choice).
    public var onListening: (@Sendable (SocketAddress) -> Void)?

    public init(address: HostAndPort, defaultSplitter: NetworkDefaultSplitter) {
        self.address = address
        self.defaultSplitter = defaultSplitter
    }
}

/// A network input: its default splitter comes from its listener options.
protocol ListeningInput: DefaultSplitterProviding {
    var listener: ListenerOptions { get }
}

extension ListeningInput {
    public func defaultSplitter(limits: SplitterLimits) -> SplitterFactory {
        listener.defaultSplitter.factory(limits: limits)
    }
}
