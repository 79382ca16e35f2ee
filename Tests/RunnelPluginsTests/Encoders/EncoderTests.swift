import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite struct EncoderTests {
    static let message = Message(uuid: MessageUUID(high: 1, low: 2), timestamp: 1_416_840_893_000_000_000,
                                 type: "DockerLog", severity: 6, payload: "hello",
                                 fields: [.string("MARATHON_APP_ID", "/web/api"), .integer("n", 3)])

    static func encode(_ encoder: some Encoder, _ message: Message = message) throws -> String {
        var buffer: [UInt8] = []
        try encoder.encode(message, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func payloadEncoderAppendsNewlinesAndPrefixesHekaTimestamps() throws {
        #expect(try Self.encode(PayloadEncoder()) == "hello\n")
        #expect(try Self.encode(PayloadEncoder(appendNewlines: false)) == "hello")
        let prefixed = PayloadEncoder(timestampPrefix: GoTimeLayout("[2006/Jan/02:15:04:05 -0700] "))
        #expect(try Self.encode(prefixed) == "[2014/Nov/24:14:54:53 +0000] hello\n")
        #expect(try Self.encode(PayloadEncoder(), Message()) == "\n")
    }

    @Test func templateEncoderRendersHeadersFieldsAndTime() throws {
        let template = try InterpolatedTemplate("%{%H:%M:%S} %{Fields[MARATHON_APP_ID]} %{Type} n=%{n} %{Logger}: %{Payload}", missing: "-")
        #expect(try Self.encode(TemplateEncoder(template: template)) == "14:54:53 /web/api DockerLog n=3 -: hello\n")
        let bare = try Self.encode(TemplateEncoder(template: template, appendNewlines: false), Message(timestamp: 0))
        #expect(bare == "00:00:00 - - n=- -: -")
    }

    @Test func jsonEncoderWritesTheLosslessShapeOnOneLine() throws {
        let line = try Self.encode(JsonEncoder())
        #expect(line.hasSuffix("}\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(try MessageJSON.decode(Array(line.utf8.dropLast())) == Self.message)
    }

    @Test func protobufAndRstEncoders() throws {
        var buffer: [UInt8] = []
        try ProtobufEncoder().encode(Self.message, into: &buffer)
        #expect(try MessageProtobuf.decode(buffer) == Self.message)
        let text = try Self.encode(RstEncoder())
        #expect(text.contains(":Type: DockerLog\n"))
        #expect(text.contains("name:\"MARATHON_APP_ID\""))
    }
}
