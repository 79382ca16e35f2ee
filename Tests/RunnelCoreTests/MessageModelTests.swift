import Testing
@testable import RunnelCore

@Suite struct MessageModelTests {
    @Test func uuidStringFormIsHekas() {
        let uuid = MessageUUID(bytes: [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                       0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef])!
        #expect(uuid.string == "12345678-9abc-def0-0123-456789abcdef")
        #expect(MessageUUID(string: uuid.string) == uuid)
        #expect(uuid.bytes.count == 16)
        #expect(MessageUUID(bytes: [1, 2, 3]) == nil)
    }

    @Test func randomUUIDIsVersion4() {
        let uuid = MessageUUID.random()
        #expect(uuid.bytes[6] >> 4 == 4)
        #expect(uuid.bytes[8] >> 6 == 0b10)
    }

    @Test func byteStringKeepsInvalidUTF8AndOrdersBytewise() {
        let raw = ByteString([0x61, 0xff, 0x00, 0x62])
        #expect(raw.count == 4)
        #expect(!raw.isValidUTF8)
        #expect(raw.string == "a\u{FFFD}\u{0}b")
        #expect(ByteString("0.7") < ByteString("0.8"))
        // Bytewise, not Unicode ordering: "Z" (0x5a) sorts before "a" (0x61), "é" after "z".
        #expect(ByteString("Z") < ByteString("a"))
        #expect(ByteString("z") < ByteString("é"))
    }

    @Test func repeatedFieldNamesAreAddressedByOccurrence() {
        var message = Message(type: "TEST")
        message.addField(.string("foo", "bar"))
        message.addField(.integer("n", 1))
        message.addField(.string("foo", "alternate"))
        #expect(message.field(named: "foo")?.values == .string(["bar"]))
        #expect(message.field(named: "foo", occurrence: 1)?.values == .string(["alternate"]))
        #expect(message.field(named: "foo", occurrence: 2) == nil)
        #expect(message.effectiveSeverity == 7)
        message.setField(.string("foo", "replaced"))
        #expect(message.fields.count == 3)
        #expect(message.field(named: "foo")?.values == .string(["replaced"]))
    }
}
