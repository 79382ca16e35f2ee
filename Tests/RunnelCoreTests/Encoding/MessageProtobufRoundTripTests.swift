import Testing
@testable import RunnelCore

@Suite struct MessageProtobufRoundTripTests {
    private func roundTrip(_ message: Message) throws -> Message {
        let bytes = MessageProtobuf.encode(message)
        #expect(bytes.count == MessageProtobuf.encodedSize(message))
        return try MessageProtobuf.decode(bytes)
    }

    @Test func everyHeaderVariableAndFieldTypeRoundTrips() throws {
        let message = SampleMessages.everything
        #expect(try roundTrip(message) == message)
        #expect(try roundTrip(SampleMessages.dockerLog) == SampleMessages.dockerLog)
    }

    @Test func repeatedNamesKeepTheirOrder() throws {
        let decoded = try roundTrip(SampleMessages.everything)
        #expect(decoded.field(named: "foo")?.values == .string(["bar"]))
        #expect(decoded.field(named: "foo", occurrence: 1)?.values == .string(["alternate"]))
        #expect(decoded.fields.map(\.name) == SampleMessages.everything.fields.map(\.name))
    }

    @Test func unsetValuesStayUnsetAndEmptyStringsStayEmpty() throws {
        let unset = Message(timestamp: 5)
        #expect(MessageProtobuf.encode(unset) == [0x10, 0x05])
        #expect(try roundTrip(unset) == unset)

        let empty = Message(
            timestamp: 5, type: "", logger: "", severity: 0, payload: "", envVersion: "", pid: 0, hostname: "",
            fields: [Field(name: "", representation: "", values: .string([""]))])
        let decoded = try roundTrip(empty)
        #expect(decoded == empty)
        #expect(decoded.type == ByteString.empty && decoded.severity == 0 && decoded.pid == 0)
        #expect(decoded.fields.first?.representation == ByteString.empty)
        #expect(try roundTrip(Message(fields: [Field(name: "r", values: .string(["x"]))])).fields[0].representation == nil)
    }

    @Test func negativeNumbersRoundTripAndInt32UsesTenByteVarints() throws {
        let message = Message(
            timestamp: -1, severity: -1, pid: .min,
            fields: [Field(name: "n", values: .integer([-1, .min, .max, 0]))])
        #expect(try roundTrip(message) == message)
        let bytes = MessageProtobuf.encode(Message(timestamp: 0, severity: -2))
        #expect(hexString(bytes) == "10 00 28 fe ff ff ff ff ff ff ff ff 01")
        // Heka's gogo encoder wrote the 5-byte uint32 form; it must decode to the same value.
        #expect(try MessageProtobuf.decode(hexBytes("28 fe ff ff ff 0f 40 80 80 80 80 08")).severity == -2)
        #expect(try MessageProtobuf.decode(hexBytes("28 fe ff ff ff 0f 40 80 80 80 80 08")).pid == .min)
    }

    @Test func specialDoublesKeepTheirBits() throws {
        let values: [Double] = [.nan, -.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let bytes = MessageProtobuf.encode(Message(fields: [Field(name: "d", values: .double(values))]))
        let decoded = try MessageProtobuf.decode(bytes)
        guard case .double(let back) = try #require(decoded.fields.first).values else {
            Issue.record("not a double field")
            return
        }
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func invalidUTF8AndNulBytesAreKeptByteExact() throws {
        let odd = ByteString([0x61, 0x00, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0xed, 0xa0, 0x80])
        #expect(!odd.isValidUTF8)
        let message = Message(
            type: odd, logger: odd, payload: odd, envVersion: odd, hostname: odd,
            fields: [
                Field(name: odd, representation: odd, values: .string([odd, odd])),
                Field(name: "b", values: .bytes([odd, ByteString([0, 0, 0])])),
            ])
        let decoded = try roundTrip(message)
        #expect(decoded == message)
        #expect(decoded.payload?.bytes == odd.bytes)
        #expect(decoded.fields[0].name.bytes == odd.bytes)
    }

    @Test func fiveMegabytePayloadRoundTripsThroughAFrame() throws {
        var generator = SeededGenerator(seed: 5)
        let block = generator.bytes(64 * 1024)
        let payload = ByteString(Array(repeatElement(block, count: 80).joined()))
        let message = Message(uuid: SampleMessages.uuid, timestamp: 1, payload: payload)
        #expect(try roundTrip(message) == message)

        let framed = HekaFraming.frame(message)
        let (frames, corruptions) = readStream(
            framed, chunkSizes: [65536], reader: HekaStreamReader(maxMessageSize: 8 * 1024 * 1024))
        #expect(corruptions.isEmpty)
        #expect(try #require(frames.first).decodeMessage() == message)
        // Heka's default limit (64 KiB) rejects it, and says so.
        let limited = readStream(framed)
        #expect(limited.frames.isEmpty)
        #expect(limited.corruptions.first?.kind == .oversizedMessage)
    }

    /// Heka's NewField always sets value_type and representation; empty arrays write nothing.
    @Test func fieldLayoutMatchesHekaGoEncoder() {
        let bytes = MessageProtobuf.encode(Message(fields: [.string("a", "b")]))
        #expect(hexString(bytes) == "10 00 52 08 0a 01 61 10 00 22 01 62")
        let withRepresentation = MessageProtobuf.encode(
            Message(fields: [Field(name: "a", representation: "", values: .integer([]))]))
        #expect(hexString(withRepresentation) == "10 00 52 07 0a 01 61 10 02 1a 00")
        let packed = MessageProtobuf.encode(
            Message(fields: [
                Field(name: "i", values: .integer([1, 300])),
                Field(name: "d", values: .double([1])),
                Field(name: "t", values: .bool([true, false])),
            ]))
        #expect(
            hexString(packed)
                == "10 00 52 0a 0a 01 69 10 02 32 03 01 ac 02 52 0f 0a 01 64 10 03 3a 08 00 00 00 00 00 00 f0 3f "
                + "52 09 0a 01 74 10 04 42 02 01 00")
    }

    @Test func encodeIntoAppends() throws {
        var buffer: [UInt8] = [1, 2, 3]
        MessageProtobuf.encode(SampleMessages.dockerLog, into: &buffer)
        #expect(Array(buffer[..<3]) == [1, 2, 3])
        #expect(Array(buffer[3...]) == MessageProtobuf.encode(SampleMessages.dockerLog))
    }

    @Test func decodeAcceptsSlicesRawBuffersAndOtherCollections() throws {
        let bytes = [0xEE] + MessageProtobuf.encode(SampleMessages.everything)
        let expected = SampleMessages.everything
        #expect(try MessageProtobuf.decode(bytes[1...]) == expected)
        #expect(try bytes.withUnsafeBytes { raw in try MessageProtobuf.decode(UnsafeRawBufferPointer(rebasing: raw[1...])) } == expected)
        #expect(try MessageProtobuf.decode(bytes.dropFirst().reversed().reversed()) == expected)
        #expect(try MessageProtobuf.decode([UInt8]()) == Message())
    }
}
