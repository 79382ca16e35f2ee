/// One framed message read from a Heka stream.
public struct HekaFrame: Sendable {
    /// Absolute stream offset of the frame's record separator.
    public let offset: Int64
    public let header: HekaFrameHeader
    /// Bytes of the protobuf header as framed (the length byte's value).
    public let headerLength: Int
    public let messageBytes: [UInt8]
    /// The signer whose HMAC was verified; nil for unsigned frames or when nothing was verified.
    public let verifiedSigner: HekaSignatureVerifier.SignerID?

    public init(
        offset: Int64, header: HekaFrameHeader, headerLength: Int, messageBytes: [UInt8],
        verifiedSigner: HekaSignatureVerifier.SignerID? = nil
    ) {
        self.offset = offset
        self.header = header
        self.headerLength = headerLength
        self.messageBytes = messageBytes
        self.verifiedSigner = verifiedSigner
    }

    /// Bytes the whole frame occupies in the stream.
    public var frameLength: Int { HekaFraming.framingOverhead + headerLength + messageBytes.count }

    public func decodeMessage() throws(ProtobufDecodingError) -> Message {
        try MessageProtobuf.decode(messageBytes)
    }
}

/// Bytes of a stream that did not yield a message, where they were and why.
public struct HekaStreamCorruption: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Bytes outside any frame.
        case garbage
        /// A record separator not followed by a decodable header.
        case invalidHeader
        /// A header claiming a message longer than `maxMessageSize`.
        case oversizedMessage
        /// The stream ended inside a frame.
        case truncatedFrame
        /// A whole frame dropped by signature verification.
        case signatureRejected
    }

    /// Absolute stream offset of the first skipped byte.
    public let offset: Int64
    public let skippedBytes: Int
    /// What was wrong at `offset` (a skipped run may hold further bad bytes after it).
    public let reason: String
    public let kind: Kind

    public init(offset: Int64, skippedBytes: Int, reason: String, kind: Kind) {
        self.offset = offset
        self.skippedBytes = skippedBytes
        self.reason = reason
        self.kind = kind
    }

    public var description: String {
        "skipped \(skippedBytes) bytes at offset \(offset): \(reason)"
    }
}

public enum HekaStreamItem: Sendable {
    case frame(HekaFrame)
    case corruption(HekaStreamCorruption)
}
