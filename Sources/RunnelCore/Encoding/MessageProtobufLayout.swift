/// Sizes and writes the wire form of a `Message`. Both halves walk the message in the same order
/// and must agree byte for byte: `size(of:)` sizes the buffer that `write` fills without checks.
enum MessageProtobufLayout {
    // Message field tags (message.proto field numbers with their wire types).
    static let uuidTag = ProtobufWireType.tag(1, .lengthDelimited)
    static let timestampTag = ProtobufWireType.tag(2, .varint)
    static let typeTag = ProtobufWireType.tag(3, .lengthDelimited)
    static let loggerTag = ProtobufWireType.tag(4, .lengthDelimited)
    static let severityTag = ProtobufWireType.tag(5, .varint)
    static let payloadTag = ProtobufWireType.tag(6, .lengthDelimited)
    static let envVersionTag = ProtobufWireType.tag(7, .lengthDelimited)
    static let pidTag = ProtobufWireType.tag(8, .varint)
    static let hostnameTag = ProtobufWireType.tag(9, .lengthDelimited)
    static let fieldTag = ProtobufWireType.tag(10, .lengthDelimited)

    // Field field tags.
    static let nameTag = ProtobufWireType.tag(1, .lengthDelimited)
    static let valueTypeTag = ProtobufWireType.tag(2, .varint)
    static let representationTag = ProtobufWireType.tag(3, .lengthDelimited)
    static let valueStringTag = ProtobufWireType.tag(4, .lengthDelimited)
    static let valueBytesTag = ProtobufWireType.tag(5, .lengthDelimited)
    static let valueIntegerTag = ProtobufWireType.tag(6, .lengthDelimited)
    static let valueDoubleTag = ProtobufWireType.tag(7, .lengthDelimited)
    static let valueBoolTag = ProtobufWireType.tag(8, .lengthDelimited)

    static func size(of message: Message) -> Int {
        var size = 0
        if message.uuid != nil { size += ProtobufVarint.delimitedSize(16) }
        size += 1 + ProtobufVarint.size(UInt64(bitPattern: message.timestamp))
        size += optionalStringSize(message.type)
        size += optionalStringSize(message.logger)
        if let severity = message.severity { size += 1 + ProtobufVarint.size(int32Bits(severity)) }
        size += optionalStringSize(message.payload)
        size += optionalStringSize(message.envVersion)
        if let pid = message.pid { size += 1 + ProtobufVarint.size(int32Bits(pid)) }
        size += optionalStringSize(message.hostname)
        for field in message.fields {
            size += ProtobufVarint.delimitedSize(bodySize(of: field))
        }
        return size
    }

    static func write(_ message: Message, to writer: inout ProtobufWriter) {
        if let uuid = message.uuid {
            writer.byte(uuidTag)
            writer.byte(16)
            withUnsafeBytes(of: (uuid.high.bigEndian, uuid.low.bigEndian)) { writer.raw($0) }
        }
        writer.byte(timestampTag)
        writer.varint(UInt64(bitPattern: message.timestamp))
        if let type = message.type { writer.delimited(typeTag, type.bytes) }
        if let logger = message.logger { writer.delimited(loggerTag, logger.bytes) }
        if let severity = message.severity {
            writer.byte(severityTag)
            writer.varint(int32Bits(severity))
        }
        if let payload = message.payload { writer.delimited(payloadTag, payload.bytes) }
        if let envVersion = message.envVersion { writer.delimited(envVersionTag, envVersion.bytes) }
        if let pid = message.pid {
            writer.byte(pidTag)
            writer.varint(int32Bits(pid))
        }
        if let hostname = message.hostname { writer.delimited(hostnameTag, hostname.bytes) }
        for field in message.fields {
            writer.byte(fieldTag)
            writer.varint(bodySize(of: field))
            write(field, to: &writer)
        }
    }

    /// Size of a field's encoding without its own tag and length.
    static func bodySize(of field: Field) -> Int {
        var size = ProtobufVarint.delimitedSize(field.name.count)
        size += 2  // value_type: one tag byte, one varint byte (the enum is 0...4)
        if let representation = field.representation {
            size += ProtobufVarint.delimitedSize(representation.count)
        }
        switch field.values {
        case .string(let values), .bytes(let values):
            for value in values { size += ProtobufVarint.delimitedSize(value.count) }
        case .integer(let values):
            if !values.isEmpty { size += ProtobufVarint.delimitedSize(packedIntegerSize(values)) }
        case .double(let values):
            if !values.isEmpty { size += ProtobufVarint.delimitedSize(values.count * 8) }
        case .bool(let values):
            if !values.isEmpty { size += ProtobufVarint.delimitedSize(values.count) }
        }
        return size
    }

    static func write(_ field: Field, to writer: inout ProtobufWriter) {
        writer.delimited(nameTag, field.name.bytes)
        writer.byte(valueTypeTag)
        writer.byte(UInt8(field.valueType.rawValue))
        if let representation = field.representation {
            writer.delimited(representationTag, representation.bytes)
        }
        switch field.values {
        case .string(let values):
            for value in values { writer.delimited(valueStringTag, value.bytes) }
        case .bytes(let values):
            for value in values { writer.delimited(valueBytesTag, value.bytes) }
        case .integer(let values):
            guard !values.isEmpty else { return }
            writer.byte(valueIntegerTag)
            writer.varint(packedIntegerSize(values))
            for value in values { writer.varint(UInt64(bitPattern: value)) }
        case .double(let values):
            guard !values.isEmpty else { return }
            writer.byte(valueDoubleTag)
            writer.varint(values.count * 8)
            for value in values { writer.fixed64(value.bitPattern) }
        case .bool(let values):
            guard !values.isEmpty else { return }
            writer.byte(valueBoolTag)
            writer.varint(values.count)
            for value in values { writer.byte(value ? 1 : 0) }
        }
    }

    @inline(__always)
    private static func optionalStringSize(_ string: ByteString?) -> Int {
        guard let string else { return 0 }
        return ProtobufVarint.delimitedSize(string.count)
    }

    /// An int32 as protobuf writes it: sign-extended to 64 bits.
    @inline(__always)
    private static func int32Bits(_ value: Int32) -> UInt64 {
        UInt64(bitPattern: Int64(value))
    }

    private static func packedIntegerSize(_ values: [Int64]) -> Int {
        var size = 0
        for value in values { size += ProtobufVarint.size(UInt64(bitPattern: value)) }
        return size
    }
}
