/// Heka stream framing: `0x1E`, the header length (one byte), the protobuf `Header`, `0x1F`, then
/// the message bytes. Signed frames carry an HMAC of the message bytes in the header.
public enum HekaFraming {
    public static let recordSeparator: UInt8 = 0x1E
    public static let unitSeparator: UInt8 = 0x1F
    /// Bytes of framing around the header: record separator, length byte, unit separator.
    public static let framingOverhead = 3

    /// Appends one frame around already encoded message bytes.
    public static func appendFrame(messageBytes: some Collection<UInt8>, signer: MessageSigner?, to buffer: inout [UInt8]) {
        let done: Void? = messageBytes.withContiguousStorageIfAvailable { contiguous in
            appendFrame(rawMessage: UnsafeRawBufferPointer(contiguous), signer: signer, to: &buffer)
        }
        if done == nil {
            Array(messageBytes).withUnsafeBytes { appendFrame(rawMessage: $0, signer: signer, to: &buffer) }
        }
    }

    /// Encodes and frames a message.
    public static func frame(_ message: Message, signer: MessageSigner? = nil) -> [UInt8] {
        var buffer: [UInt8] = []
        appendFrame(message, signer: signer, to: &buffer)
        return buffer
    }

    /// Encodes and frames a message onto `buffer`. Unsigned frames are encoded in place, without
    /// an intermediate copy of the message bytes.
    public static func appendFrame(_ message: Message, signer: MessageSigner? = nil, to buffer: inout [UInt8]) {
        let messageSize = MessageProtobuf.encodedSize(message)
        if let signer {
            var messageBytes: [UInt8] = []
            messageBytes.reserveCapacity(messageSize)
            MessageProtobuf.encode(message, into: &messageBytes)
            buffer.reserveCapacity(buffer.count + messageSize + 64)
            appendFrame(messageBytes: messageBytes, signer: signer, to: &buffer)
            return
        }
        let header = HekaFrameHeader(messageLength: UInt32(truncatingIfNeeded: messageSize))
        buffer.reserveCapacity(buffer.count + messageSize + 16)
        appendHeader(header, to: &buffer)
        MessageProtobuf.encode(message, into: &buffer)
    }

    private static func appendFrame(rawMessage: UnsafeRawBufferPointer, signer: MessageSigner?, to buffer: inout [UInt8]) {
        var header = HekaFrameHeader(messageLength: UInt32(truncatingIfNeeded: rawMessage.count))
        if let signer {
            header.hmacHashFunction = signer.hash
            // Over-long names are cut so the header fits its length byte; the receiver then fails
            // to find the signer and reports the frame, rather than the sender crashing.
            header.hmacSigner = String(decoding: signer.name.utf8.prefix(MessageSigner.maxNameLength), as: UTF8.self)
            header.hmacKeyVersion = signer.version
            header.hmac = HekaHMAC.digest(signer.hash, key: signer.key, message: rawMessage)
        }
        appendHeader(header, to: &buffer)
        buffer.append(contentsOf: rawMessage)
    }

    private static func appendHeader(_ header: HekaFrameHeader, to buffer: inout [UInt8]) {
        buffer.append(recordSeparator)
        let lengthIndex = buffer.count
        buffer.append(0)
        header.append(to: &buffer)
        buffer[lengthIndex] = UInt8(truncatingIfNeeded: buffer.count - lengthIndex - 1)
        buffer.append(unitSeparator)
    }
}
