import RunnelCore

/// Heka's protobuf message encoding; with `use_framing` (Heka's default for this encoder) each
/// message is a Heka stream frame that another agent's TcpInput or `runnel cat` reads.
public struct ProtobufEncoder: Encoder {
    public init() {}

    public func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
        MessageProtobuf.encode(message, into: &buffer)
    }
}
