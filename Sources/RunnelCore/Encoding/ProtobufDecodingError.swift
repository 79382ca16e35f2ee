/// Why protobuf bytes could not be decoded, and where: `offset` counts bytes from the start of the
/// buffer handed to the decoder (the message bytes of a frame, not the stream).
public struct ProtobufDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "protobuf error at byte \(offset): \(reason)" }
}
