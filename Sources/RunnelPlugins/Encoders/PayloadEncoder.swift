import RunnelCore

/// Writes the message's Payload (Heka's PayloadEncoder), optionally prefixed with a timestamp and
/// followed by a newline.
public struct PayloadEncoder: InPlaceEncoder {
    public var appendNewlines: Bool
    /// When set, each payload is prefixed with the time in this layout.
    public var timestampPrefix: GoTimeLayout?
    /// Prefix the message's own time (true) or the time of encoding (false).
    public var timestampFromMessage: Bool

    public init(appendNewlines: Bool = true, timestampPrefix: GoTimeLayout? = nil, timestampFromMessage: Bool = true) {
        self.appendNewlines = appendNewlines
        self.timestampPrefix = timestampPrefix
        self.timestampFromMessage = timestampFromMessage
    }

    public func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
        append(payload: message.payload, timestamp: message.timestamp, into: &buffer)
    }

    /// Takes only the payload and the timestamp from the batch, not a copy of the whole message.
    public func encode(_ messages: UnsafeBufferPointer<Message>, at index: Int, into buffer: inout [UInt8]) throws(EncodeFailure) {
        append(payload: messages[index].payload, timestamp: messages[index].timestamp, into: &buffer)
    }

    private func append(payload: ByteString?, timestamp: Int64, into buffer: inout [UInt8]) {
        if let timestampPrefix {
            timestampPrefix.format(nanoseconds: timestampFromMessage ? timestamp : WallClock.nowNanoseconds(), into: &buffer)
        }
        if let payload { buffer += payload.bytes }
        if appendNewlines { buffer.append(0x0A) }
    }
}
