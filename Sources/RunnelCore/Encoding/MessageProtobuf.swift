/// Heka's `Message` protobuf (message.proto, proto2), byte-identical to Heka's Go encoder: fields in
/// number order, unset (nil) header values omitted, every field's `value_type` written (STRING as
/// `10 00` too, as Heka's `NewField` always sets it), empty value arrays omitted, numeric arrays
/// packed.
///
/// One deliberate difference: a negative `severity` or `pid` is written as the 10-byte varint the
/// protobuf specification requires for int32, where Heka's gogo code wrote the 5-byte two's
/// complement of the uint32. Every decoder, Heka's included, reads both forms as the same value.
public enum MessageProtobuf {
    public static func encode(_ message: Message) -> [UInt8] {
        let size = encodedSize(message)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var writer = ProtobufWriter(buffer, at: 0)
            MessageProtobufLayout.write(message, to: &writer)
            initialized = writer.index
        }
    }

    /// Appends the encoding of `message` to `buffer`.
    public static func encode(_ message: Message, into buffer: inout [UInt8]) {
        let size = encodedSize(message)
        buffer.appendWritten(count: size) { writer in
            MessageProtobufLayout.write(message, to: &writer)
        }
    }

    public static func encodedSize(_ message: Message) -> Int {
        MessageProtobufLayout.size(of: message)
    }

    /// Decodes Heka message bytes. Accepts packed and unpacked numeric arrays and skips unknown
    /// fields; throws with the byte offset of the first thing it cannot read.
    @inlinable
    public static func decode<C: Collection>(_ bytes: C) throws(ProtobufDecodingError) -> Message
    where C.Element == UInt8 {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            decodeResult(UnsafeRawBufferPointer(buffer))
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBytes { decodeResult($0) }.get()
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ProtobufDecodingError) -> Message {
        try MessageProtobufDecoder.decode(bytes)
    }

    @usableFromInline
    static func decodeResult(_ bytes: UnsafeRawBufferPointer) -> Result<Message, ProtobufDecodingError> {
        do throws(ProtobufDecodingError) {
            return .success(try MessageProtobufDecoder.decode(bytes))
        } catch {
            return .failure(error)
        }
    }
}
