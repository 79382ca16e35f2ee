import Testing
@testable import RunnelCore

@Suite struct MessageProtobufDecodingErrorTests {
    private func decodingError(_ hex: String) -> ProtobufDecodingError? {
        do {
            _ = try MessageProtobuf.decode(hexBytes(hex))
            return nil
        } catch {
            return error
        }
    }

    @Test func everyTruncationThrowsWithAnOffsetInsideTheInput() {
        let bytes = MessageProtobuf.encode(SampleMessages.everything)
        for length in 0..<bytes.count {
            do {
                let message = try MessageProtobuf.decode(bytes[..<length])
                // Cutting exactly between two records leaves a shorter valid message.
                #expect(message != SampleMessages.everything, "prefix of \(length) bytes decoded as the whole")
            } catch {
                #expect(error.offset >= 0 && error.offset <= length, "offset \(error.offset) for \(length)")
            }
        }
    }

    @Test func cutsInsideARecordAlwaysThrow() {
        // Offsets where a record starts; a cut anywhere else must throw.
        let message = Message(timestamp: 300, type: "TEST", fields: [.integer("n", 7)])
        let bytes = MessageProtobuf.encode(message)
        #expect(hexString(bytes) == "10 ac 02 1a 04 54 45 53 54 52 08 0a 01 6e 10 02 32 01 07")
        let boundaries: Set<Int> = [0, 3, 9]
        for length in 0..<bytes.count where !boundaries.contains(length) {
            #expect(throws: ProtobufDecodingError.self, "cut at \(length)") {
                try MessageProtobuf.decode(bytes[..<length])
            }
        }
    }

    @Test func malformedVarints() {
        #expect(decodingError("10 80 80") == ProtobufDecodingError(offset: 1, reason: "truncated varint (input ends after 2 bytes)"))
        #expect(decodingError("10 ff ff ff ff ff ff ff ff ff 7f")?.reason == "varint longer than 64 bits")
        #expect(decodingError("10 ff ff ff ff ff ff ff ff ff ff 01")?.offset == 1)
        #expect(decodingError("10 ff ff ff ff ff ff ff ff ff 01") == nil)
        #expect(decodingError("80")?.offset == 0)
    }

    @Test func wrongWireTypesForKnownFields() {
        #expect(decodingError("08 01") == ProtobufDecodingError(offset: 0, reason: "uuid has wire type varint, expected length-delimited"))
        #expect(decodingError("10 00 12 00")?.reason == "timestamp has wire type length-delimited, expected varint")
        #expect(decodingError("10 00 1d 00 00 00 00")?.reason == "type has wire type fixed32, expected length-delimited")
        #expect(decodingError("10 00 2a 00")?.offset == 2)
        #expect(decodingError("50 01")?.reason == "fields has wire type varint, expected length-delimited")
        #expect(decodingError("52 02 08 01")?.reason == "field name has wire type varint, expected length-delimited")
        #expect(decodingError("52 02 35 00")?.reason.hasPrefix("value_integer has wire type fixed32") == true)
        #expect(decodingError("52 03 12 01 00")?.offset == 2)
    }

    @Test func uuidMustBeSixteenBytes() {
        #expect(decodingError("0a 03 01 02 03") == ProtobufDecodingError(offset: 1, reason: "uuid is 3 bytes, expected 16"))
        #expect(decodingError("0a 00")?.reason == "uuid is 0 bytes, expected 16")
        #expect(decodingError("0a 10 " + String(repeating: "00 ", count: 16)) == nil)
    }

    @Test func lengthsPastTheEnd() {
        #expect(decodingError("1a 05 41 42") == ProtobufDecodingError(offset: 1, reason: "length 5 runs past the end (2 bytes left)"))
        // A field record's inner lengths are bounded by the record, not the whole message.
        #expect(decodingError("52 03 0a 05 41 42 43 44 45")?.offset == 3)
        #expect(decodingError("1a ff ff ff ff ff ff ff ff ff 01")?.offset == 1)
        #expect(decodingError("52 05 3a 03 00 00 00")?.reason == "packed value_double length 3 is not a multiple of 8")
        #expect(decodingError("52 04 3a 02 00 00")?.offset == 3)
        #expect(decodingError("52 04 32 02 80 80")?.reason.hasPrefix("truncated varint") == true)
    }

    @Test func invalidTags() {
        #expect(decodingError("00 00")?.reason == "invalid field number 0")
        #expect(decodingError("0e 00")?.reason == "invalid wire type 6 for field 1")
        #expect(decodingError("0f 00")?.reason == "invalid wire type 7 for field 1")
        #expect(decodingError("5c")?.reason == "end-group for field 11 without a start-group")
        #expect(decodingError("5b 60 01")?.reason == "group for field 11 is not closed")
        #expect(decodingError("5b 64 5c")?.reason == "end-group for field 12 inside group 11")
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        let unknown = "58 96 01 61 01 02 03 04 05 06 07 08 6a 03 41 42 43 75 01 02 03 04 7b 08 01 83 01 12 00 84 01 7c"
        let decoded = try MessageProtobuf.decode(hexBytes(unknown + " 10 07 1a 01 54 " + unknown))
        #expect(decoded == Message(timestamp: 7, type: "T"))
        let inField = try MessageProtobuf.decode(hexBytes("52 0f 0a 01 6e " + "58 96 01 75 01 02 03 04" + " 10 02 30 05"))
        #expect(inField.fields == [.integer("n", 5)])
        #expect(try MessageProtobuf.decode(hexBytes("5b 6b 6c 5c 10 01")).timestamp == 1)
    }

    @Test func unpackedAndPackedNumericArraysMix() throws {
        // value_integer: unpacked 1, packed [2, 3], unpacked 4; value_double unpacked; bool unpacked.
        let decoded = try MessageProtobuf.decode(
            hexBytes("52 0d 0a 01 69 10 02 30 01 32 02 02 03 30 04 52 17 0a 01 64 10 03 39 00 00 00 00 00 00 f8 3f 39 00 00 00 00 00 00 00 40 52 0c 0a 01 62 10 04 40 01 40 00 42 01 02"))
        #expect(decoded.fields[0] == Field(name: "i", values: .integer([1, 2, 3, 4])))
        #expect(decoded.fields.count == 3)
        let doubles = try MessageProtobuf.decode(hexBytes("52 17 0a 01 64 10 03 39 00 00 00 00 00 00 f8 3f 39 00 00 00 00 00 00 00 40"))
        #expect(doubles.fields == [Field(name: "d", values: .double([1.5, 2]))])
        #expect(decoded.fields[2] == Field(name: "b", values: .bool([true, false, true])))
    }

    @Test func valueTypeSelectsTheValuesWhereverItAppears() throws {
        // value_type after the values; a missing value_type means STRING; an unknown one too.
        #expect(try MessageProtobuf.decode(hexBytes("52 07 0a 01 6e 30 05 10 02")).fields == [.integer("n", 5)])
        #expect(try MessageProtobuf.decode(hexBytes("52 06 0a 01 73 22 01 76")).fields == [.string("s", "v")])
        #expect(try MessageProtobuf.decode(hexBytes("52 08 0a 01 73 22 01 76 10 09")).fields == [.string("s", "v")])
        // Values of another type than value_type are not the field's values (Heka reads by type).
        #expect(try MessageProtobuf.decode(hexBytes("52 07 0a 01 6e 10 02 22 00")).fields == [Field(name: "n", values: .integer([]))])
    }

    @Test func laterScalarsReplaceEarlierOnes() throws {
        let decoded = try MessageProtobuf.decode(hexBytes("10 01 1a 01 41 28 03 10 02 1a 01 42 28 04"))
        #expect(decoded == Message(timestamp: 2, type: "B", severity: 4))
    }
}
