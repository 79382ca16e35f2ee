import RunnelCore

/// Runnel's optional end-to-end confirmations between a TcpOutput and a TcpInput over a Heka
/// framed stream; plain TCP and Heka's protocol have no application acknowledgement.
///
/// - A TcpOutput with `confirm_by = "peer"` starts each connection with a request frame.
/// - A TcpInput whose first record on a connection is that request answers with confirmation
///   frames on the same connection: "every byte of this connection up to `offset` was read and its
///   messages settled by my outputs" (delivered, or dropped by an explicit, counted policy),
///   committed in stream order. The first one, covering just the request, says "I confirm".
/// - The request is never delivered as a message. A peer that is not a Runnel TcpInput never sees
///   confirmations unless it was asked for them, so nothing is ever written to a Heka peer.
enum PeerConfirmation {
    static let requestType: ByteString = "runnel.tcp.confirm-request"
    static let confirmedType: ByteString = "runnel.tcp.confirmed"
    static let offsetField: ByteString = "offset"

    /// The frame a sender opens a connection with.
    static let requestFrame: [UInt8] = HekaFraming.frame(
        Message(timestamp: 0, type: requestType, fields: [.integer("version", 1)]))

    /// True when the message bytes of a frame are a confirmation request.
    static func isRequest(messageBytes: [UInt8]) -> Bool {
        guard let message = try? MessageProtobuf.decode(messageBytes) else { return false }
        return message.type == requestType
    }

    /// A confirmation of every byte of the connection before `offset`.
    static func confirmedFrame(offset: Int64) -> [UInt8] {
        HekaFraming.frame(Message(timestamp: 0, type: confirmedType, fields: [.integer(offsetField, offset)]))
    }

    /// Reads confirmation frames from the bytes a sender receives; anything else is ignored.
    struct Reader {
        private var frames = HekaStreamReader(maxMessageSize: 4096)

        /// The highest offset confirmed by the frames completed with `bytes`, if any.
        mutating func read(_ bytes: some Collection<UInt8>) -> Int64? {
            frames.append(bytes)
            var highest: Int64?
            while let item = frames.next() {
                guard case .frame(let frame) = item,
                      let message = try? MessageProtobuf.decode(frame.messageBytes),
                      message.type == PeerConfirmation.confirmedType,
                      case .integer(let values)? = message.field(named: PeerConfirmation.offsetField)?.values,
                      let offset = values.first
                else { continue }
                highest = max(highest ?? offset, offset)
            }
            return highest
        }
    }
}
