import RunnelCore

/// Writes the message's Payload (Heka's PayloadEncoder), optionally prefixed with a timestamp and
/// followed by a newline.
public struct PayloadEncoder: Encoder {
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
        if let timestampPrefix {
            let time = timestampFromMessage ? message.timestamp : WallClock.nowNanoseconds()
            timestampPrefix.format(nanoseconds: time, into: &buffer)
        }
        if let payload = message.payload { buffer += payload.bytes }
        if appendNewlines { buffer.append(0x0A) }
    }
}
