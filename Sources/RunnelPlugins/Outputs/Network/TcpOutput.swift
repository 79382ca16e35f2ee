import RunnelCore

/// Sends messages to a TCP listener (Heka's TcpOutput): by default Heka framed protobuf for another
/// agent's TcpInput; with another encoder, whatever it writes (lines for rsyslog, say).
///
/// Delivery guarantee (at least once; duplicates possible after a reconnect). A batch is confirmed
/// only when the receiving side has it, in one of two senses (`confirmBy`):
///
/// - `.tcpAcknowledged` (default, any peer): every byte of the batch was written to the socket and
///   acknowledged by the peer's TCP stack (Linux `TCP_INFO` bytes_acked has passed the batch's
///   end). Covers this agent crashing, the network failing and the peer restarting before the
///   bytes reached it. Does not cover bytes the peer's kernel acknowledged but the peer process
///   never read or never passed on (the peer killed with a full receive buffer): TCP and Heka's
///   protocol have no application acknowledgement.
/// - `.peer` (a Runnel TcpInput on the other side): the peer confirms over the same connection
///   once its own outputs settled the messages (`PeerConfirmation`), so a receiving agent killed
///   with messages in its queues loses nothing: they were never confirmed here.
///
/// When the connection is lost, every unconfirmed batch is written again, in order, before new
/// ones; reconnecting backs off with jitter (`reconnect`), logging once per state change. Batches
/// waiting for confirmation are bounded by `maxUnconfirmedBytes`; beyond it no new batch is taken,
/// so the output's queue fills and pushes back on the inputs.
public struct TcpOutput: OutputPlugin {
    public enum ConfirmationMode: String, Sendable, CaseIterable {
        case tcpAcknowledged = "tcp_ack"
        case peer
    }

    public struct Options: Sendable {
        public var address: HostAndPort
        /// Source address (port 0 lets the system choose).
        public var localAddress: HostAndPort?
        public var keepAlive = TCPKeepAlive()
        /// Reconnect after this many messages were sent and confirmed on a connection; 0 never.
        public var reconnectAfter = 0
        /// Heka framing; nil follows Heka: framed when the encoder is ProtobufEncoder (or none).
        /// Peer confirmations always frame.
        public var useFraming: Bool?
        public var confirmBy = ConfirmationMode.tcpAcknowledged
        public var maxUnconfirmedBytes = 16 << 20
        public var reconnect = RetryPolicy(delay: .milliseconds(100), maxDelay: .seconds(10),
                                           maxJitter: .milliseconds(250), maxRetries: -1)
        public var connectTimeout: Duration = .seconds(10)
        /// How long to wait for a peer to answer a confirmation request before warning.
        public var peerAnswerTimeout: Duration = .seconds(5)

        public init(address: HostAndPort) {
            self.address = address
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run(_ context: OutputContext) async throws {
        let framed = options.confirmBy == .peer
            || (options.useFraming ?? (context.encoder == nil || context.encoder is ProtobufEncoder))
        await TcpOutputSession(options: options, context: context, framed: framed).run()
    }
}
