import RunnelCore

/// Human-readable debug output of every header variable and field (Heka's RstEncoder).
public struct RstEncoder: Encoder {
    public init() {}

    public func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
        buffer += Array(MessageTextFormat.render(message).utf8)
        buffer.append(0x0A)
    }
}
