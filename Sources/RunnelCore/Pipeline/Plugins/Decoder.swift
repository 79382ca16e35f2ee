/// Why a decoder could not turn a message into messages; the input counts it and, with
/// `send_decode_failures`, passes the original on flagged with this reason.
public struct DecodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Turns a raw message (Payload = the record an input read) into zero or more decoded messages
/// (Heka's decoders). Decoders hold only configuration, so one instance serves every stream.
public protocol Decoder: Sendable {
    func decode(_ message: Message) throws(DecodeFailure) -> [Message]
}

/// Why an encoder could not write a message; the output drops it, counted under this reason.
public struct EncodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Writes a message's bytes for an output (Heka's encoders), appending to a buffer so an output
/// can encode a whole batch into one write.
public protocol Encoder: Sendable {
    func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure)
}

/// An encoder that reads a message where it lies in its batch. Swift copies a message taken from
/// an array before passing it to any call it does not inline (a retain and a release of every
/// buffer the message holds); an encoder that needs only a part of the message reads just that.
public protocol InPlaceEncoder: Encoder {
    func encode(_ messages: UnsafeBufferPointer<Message>, at index: Int, into buffer: inout [UInt8]) throws(EncodeFailure)
}
