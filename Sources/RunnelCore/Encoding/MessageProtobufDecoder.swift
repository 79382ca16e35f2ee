/// Decodes Heka's `Message` protobuf from contiguous bytes.
///
/// Lenient where Heka's readers are (unknown fields of any wire type are skipped; numeric arrays
/// may be packed or, as Lua's encoder wrote single values, unpacked; a later scalar replaces an
/// earlier one), strict about structure: truncation, malformed varints, a known field with the
/// wrong wire type, a uuid that is not 16 bytes and lengths past the end all throw with the offset.
enum MessageProtobufDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(ProtobufDecodingError) -> Message {
        var reader = ProtobufReader(bytes)
        var message = Message()
        while !reader.isAtEnd {
            let tagOffset = reader.index
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited, field: "uuid", tagOffset: tagOffset)
                let lengthOffset = reader.index
                let length = try reader.readLength()
                guard length == 16 else {
                    throw ProtobufDecodingError(offset: lengthOffset, reason: "uuid is \(length) bytes, expected 16")
                }
                let high = reader.readBigEndianUInt64()
                message.uuid = MessageUUID(high: high, low: reader.readBigEndianUInt64())
            case 2:
                try reader.expect(wireType, .varint, field: "timestamp", tagOffset: tagOffset)
                message.timestamp = Int64(bitPattern: try reader.readVarint())
            case 3:
                message.type = try readString(&reader, wireType, "type", tagOffset)
            case 4:
                message.logger = try readString(&reader, wireType, "logger", tagOffset)
            case 5:
                try reader.expect(wireType, .varint, field: "severity", tagOffset: tagOffset)
                message.severity = Int32(truncatingIfNeeded: try reader.readVarint())
            case 6:
                message.payload = try readString(&reader, wireType, "payload", tagOffset)
            case 7:
                message.envVersion = try readString(&reader, wireType, "env_version", tagOffset)
            case 8:
                try reader.expect(wireType, .varint, field: "pid", tagOffset: tagOffset)
                message.pid = Int32(truncatingIfNeeded: try reader.readVarint())
            case 9:
                message.hostname = try readString(&reader, wireType, "hostname", tagOffset)
            case 10:
                try reader.expect(wireType, .lengthDelimited, field: "fields", tagOffset: tagOffset)
                if message.fields.isEmpty {
                    // Heka writes the fields last and together: size the array once.
                    message.fields.reserveCapacity(
                        reader.countConsecutiveRecords(tag: MessageProtobufLayout.fieldTag, from: tagOffset))
                }
                let length = try reader.readLength()
                let outer = reader.beginRecord(length: length)
                message.fields.append(try decodeField(&reader))
                reader.endRecord(restoring: outer)
            default:
                try reader.skipValue(field: field, wireType: wireType, tagOffset: tagOffset)
            }
        }
        return message
    }

    /// Decodes one `Field` filling the reader's current record. Values of every type are collected
    /// and those matching `value_type` kept, since the type may come after the values and Heka
    /// reads a field's values by its type alone. An unknown `value_type` number is ignored as
    /// proto2 ignores unknown enum values, leaving the default STRING.
    private static func decodeField(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) -> Field {
        var name = ByteString.empty
        var valueType = FieldValueType.string
        var representation: ByteString?
        var strings: [ByteString] = []
        var bytes: [ByteString] = []
        var integers: [Int64] = []
        var doubles: [Double] = []
        var bools: [Bool] = []
        while !reader.isAtEnd {
            let tagOffset = reader.index
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                name = try readString(&reader, wireType, "field name", tagOffset)
            case 2:
                try reader.expect(wireType, .varint, field: "value_type", tagOffset: tagOffset)
                let raw = try reader.readVarint()
                if let known = FieldValueType(rawValue: Int32(truncatingIfNeeded: raw)), raw <= 4 {
                    valueType = known
                }
            case 3:
                representation = try readString(&reader, wireType, "representation", tagOffset)
            case 4:
                strings.append(try readString(&reader, wireType, "value_string", tagOffset))
            case 5:
                bytes.append(try readString(&reader, wireType, "value_bytes", tagOffset))
            case 6:
                try readIntegers(&reader, wireType, tagOffset, into: &integers)
            case 7:
                try readDoubles(&reader, wireType, tagOffset, into: &doubles)
            case 8:
                try readBools(&reader, wireType, tagOffset, into: &bools)
            default:
                try reader.skipValue(field: field, wireType: wireType, tagOffset: tagOffset)
            }
        }
        let values: FieldValues =
            switch valueType {
            case .string: .string(strings)
            case .bytes: .bytes(bytes)
            case .integer: .integer(integers)
            case .double: .double(doubles)
            case .bool: .bool(bools)
            }
        return Field(name: name, representation: representation, values: values)
    }

    @inline(__always)
    private static func readString(
        _ reader: inout ProtobufReader, _ wireType: ProtobufWireType, _ field: String, _ tagOffset: Int
    ) throws(ProtobufDecodingError) -> ByteString {
        try reader.expect(wireType, .lengthDelimited, field: field, tagOffset: tagOffset)
        return ByteString(try reader.readDelimited())
    }

    private static func readIntegers(
        _ reader: inout ProtobufReader, _ wireType: ProtobufWireType, _ tagOffset: Int, into values: inout [Int64]
    ) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint:
            values.append(Int64(bitPattern: try reader.readVarint()))
        case .lengthDelimited:
            let length = try reader.readLength()
            let outer = reader.beginRecord(length: length)
            // No reservation from the byte length: it could claim eight times the input in memory.
            while !reader.isAtEnd {
                values.append(Int64(bitPattern: try reader.readVarint()))
            }
            reader.endRecord(restoring: outer)
        default:
            try reader.expect(wireType, .lengthDelimited, field: "value_integer", tagOffset: tagOffset)
        }
    }

    private static func readDoubles(
        _ reader: inout ProtobufReader, _ wireType: ProtobufWireType, _ tagOffset: Int, into values: inout [Double]
    ) throws(ProtobufDecodingError) {
        switch wireType {
        case .fixed64:
            values.append(Double(bitPattern: try reader.readFixed64()))
        case .lengthDelimited:
            let lengthOffset = reader.index
            let length = try reader.readLength()
            guard length % 8 == 0 else {
                throw ProtobufDecodingError(
                    offset: lengthOffset, reason: "packed value_double length \(length) is not a multiple of 8")
            }
            values.reserveCapacity(values.count + length / 8)
            for _ in 0..<length / 8 {
                values.append(Double(bitPattern: try reader.readFixed64()))
            }
        default:
            try reader.expect(wireType, .lengthDelimited, field: "value_double", tagOffset: tagOffset)
        }
    }

    private static func readBools(
        _ reader: inout ProtobufReader, _ wireType: ProtobufWireType, _ tagOffset: Int, into values: inout [Bool]
    ) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint:
            values.append(try reader.readVarint() != 0)
        case .lengthDelimited:
            let length = try reader.readLength()
            let outer = reader.beginRecord(length: length)
            values.reserveCapacity(values.count + length)
            while !reader.isAtEnd {
                values.append(try reader.readVarint() != 0)
            }
            reader.endRecord(restoring: outer)
        default:
            try reader.expect(wireType, .lengthDelimited, field: "value_bool", tagOffset: tagOffset)
        }
    }
}
