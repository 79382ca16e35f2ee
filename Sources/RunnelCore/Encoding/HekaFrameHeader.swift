/// The protobuf `Header` that precedes each message in a Heka stream.
public struct HekaFrameHeader: Sendable, Equatable {
    public var messageLength: UInt32
    /// MD5 when the header does not say (proto2 default).
    public var hmacHashFunction: HmacHashFunction
    public var hmacSigner: String?
    public var hmacKeyVersion: UInt32?
    public var hmac: [UInt8]?

    public init(
        messageLength: UInt32, hmacHashFunction: HmacHashFunction = .md5, hmacSigner: String? = nil,
        hmacKeyVersion: UInt32? = nil, hmac: [UInt8]? = nil
    ) {
        self.messageLength = messageLength
        self.hmacHashFunction = hmacHashFunction
        self.hmacSigner = hmacSigner
        self.hmacKeyVersion = hmacKeyVersion
        self.hmac = hmac
    }

    /// Heka's limit: the header length travels in one byte.
    public static let maxEncodedSize = 255

    /// Appends the header's protobuf. The hash function is written only for SHA1, as Heka's
    /// encoder sets it only then (MD5 is the default).
    func append(to buffer: inout [UInt8]) {
        buffer.append(ProtobufWireType.tag(1, .varint))
        appendVarint(UInt64(messageLength), to: &buffer)
        if hmacHashFunction != .md5 {
            buffer.append(ProtobufWireType.tag(3, .varint))
            appendVarint(UInt64(hmacHashFunction.rawValue), to: &buffer)
        }
        if let hmacSigner {
            buffer.append(ProtobufWireType.tag(4, .lengthDelimited))
            appendVarint(UInt64(hmacSigner.utf8.count), to: &buffer)
            buffer.append(contentsOf: hmacSigner.utf8)
        }
        if let hmacKeyVersion {
            buffer.append(ProtobufWireType.tag(5, .varint))
            appendVarint(UInt64(hmacKeyVersion), to: &buffer)
        }
        if let hmac {
            buffer.append(ProtobufWireType.tag(6, .lengthDelimited))
            appendVarint(UInt64(hmac.count), to: &buffer)
            buffer.append(contentsOf: hmac)
        }
    }

    private func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    /// Decodes a header. A header without `message_length` (required in message.proto) is
    /// rejected, which keeps stray `0x1E` bytes in garbage from passing as frames. An unknown hash
    /// function number is ignored (proto2 enum rule), leaving MD5.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(ProtobufDecodingError) -> HekaFrameHeader {
        var reader = ProtobufReader(bytes)
        var header = HekaFrameHeader(messageLength: 0)
        var sawMessageLength = false
        while !reader.isAtEnd {
            let tagOffset = reader.index
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: "message_length", tagOffset: tagOffset)
                header.messageLength = UInt32(truncatingIfNeeded: try reader.readVarint())
                sawMessageLength = true
            case 3:
                try reader.expect(wireType, .varint, field: "hmac_hash_function", tagOffset: tagOffset)
                let raw = try reader.readVarint()
                if raw <= 1, let known = HmacHashFunction(rawValue: Int32(raw)) {
                    header.hmacHashFunction = known
                }
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: "hmac_signer", tagOffset: tagOffset)
                header.hmacSigner = String(decoding: try reader.readDelimited(), as: UTF8.self)
            case 5:
                try reader.expect(wireType, .varint, field: "hmac_key_version", tagOffset: tagOffset)
                header.hmacKeyVersion = UInt32(truncatingIfNeeded: try reader.readVarint())
            case 6:
                try reader.expect(wireType, .lengthDelimited, field: "hmac", tagOffset: tagOffset)
                header.hmac = try reader.readDelimited()
            default:
                try reader.skipValue(field: field, wireType: wireType, tagOffset: tagOffset)
            }
        }
        guard sawMessageLength else {
            throw ProtobufDecodingError(offset: bytes.count, reason: "header has no message_length")
        }
        return header
    }
}
