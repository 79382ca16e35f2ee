import Foundation
import RunnelCore
import RunnelElasticsearch
import Testing

/// Whatever a message holds, both lines are valid JSON without repeated keys, and values keep
/// their types.
@Suite struct ESDocumentCorrectnessTests {
    static func parse(_ line: String) throws -> JSONValue {
        try JSONReader.parse(line, options: .init(rejectDuplicateKeys: true))
    }

    @Test(arguments: ["ESJsonEncoder", "ESLogstashV0Encoder"])
    func hostileMessagesStillGiveValidJSON(_ type: String) throws {
        let encoder = try ESTestConfig.encoder("[\(type)]\nraw_bytes_fields = [\"raw\", \"notjson\"]", section: type)
        var message = ESTestMessages.nginx
        message.payload = ByteString([0x22, 0x5C, 0x00, 0x1F, 0x7F, 0xFF, 0xC3, 0x28, 0xE2, 0x82, 0xAC, 0x0A, 0x2F])
        message.type = ByteString([0xFE, 0x41])
        message.fields = [
            .double("nan", .nan), .double("inf", .infinity), .double("minf", -.infinity),
            .string("dup", "a"), .string("dup", "b"), .integer("dup", 3),
            .string("Payload", "collides with the header"), .string("Payload", "twice"),
            .string("raw", #"{"k":[1,2,{"n":null}]}"#), .string("notjson", #"{"k":"#),
            .bytes("blob", [0, 1, 2, 255]), .string("quote\"key\n", "v"),
            Field(name: "many", values: .integer([1, 2, 3])), Field(name: "flags", values: .bool([true, false])),
            Field(name: "empty", values: .string([])),
        ]
        let (action, document) = try ESTestConfig.encode(encoder, message)
        _ = try Self.parse(action)
        let parsed = try Self.parse(document)
        let fields = type == "ESJsonEncoder" ? parsed : try #require(parsed["@fields"])
        #expect(fields["nan"] == .null && fields["inf"] == .null && fields["minf"] == .null)
        #expect(fields["dup"] == .array([.string("a"), .string("b"), .integer(3)]))
        #expect(fields["raw"] == .object([JSONMember(key: "k", value: .array([.integer(1), .integer(2), .object([JSONMember(key: "n", value: .null)])]))]))
        #expect(fields["notjson"] == .string(#"{"k":"#))
        #expect(fields["blob"] == .string("AAEC/w=="))
        #expect(fields["many"] == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(fields["flags"] == .array([.bool(true), .bool(false)]))
        #expect(fields["quote\"key\n"] == .string("v"))
        if type == "ESJsonEncoder" {
            #expect(parsed["Payload"] == .string("\"\\\u{0}\u{1F}\u{7F}\u{FFFD}\u{FFFD}(€\n/"))
            #expect(parsed["Fields[Payload]"] == .array([.string("collides with the header"), .string("twice")]))
            #expect(parsed["Type"] == .string("\u{FFFD}A"))
        } else {
            #expect(parsed["@message"] == .string("\"\\\u{0}\u{1F}\u{7F}\u{FFFD}\u{FFFD}(€\n/"))
            #expect(fields["Payload"] == .array([.string("collides with the header"), .string("twice")]))
        }
    }

    @Test func controlCharactersUseStandardEscapes() throws {
        let encoder = try ESTestConfig.encoder("[ESJsonEncoder]\nfields = [\"Payload\"]", section: "ESJsonEncoder")
        let message = Message(payload: ByteString(Array("a\"b\\c\u{8}\u{C}\n\r\t\u{1}/".utf8)))
        #expect(try ESTestConfig.encode(encoder, message).document == #"{"Payload":"a\"b\\c\b\f\n\r\t\u0001/"}"#)
    }

    @Test func replacedDotsThatCollideKeepBothFields() throws {
        let encoder = try ESTestConfig.encoder("[ESJsonEncoder]\nfields = [\"DynamicFields\"]\nreplace_dots_with = \"_\"", section: "ESJsonEncoder")
        let message = Message(fields: [.integer("a_b", 1), .integer("a.b", 2), .string("Fields[a.b]", "x")])
        let document = try ESTestConfig.encode(encoder, message).document
        #expect(document == #"{"a_b":1,"Fields[a.b]":2,"Fields[a_b]":"x"}"#)
    }

    @Test func typedNumbersAndBooleans() throws {
        let encoder = try ESTestConfig.encoder("[ESJsonEncoder]\nfields = [\"DynamicFields\"]", section: "ESJsonEncoder")
        let message = Message(fields: [.integer("i", -9_223_372_036_854_775_808), .double("d", 1), .double("e", 1e300),
                                       .bool("b", false), .string("s", "12")])
        #expect(try ESTestConfig.encode(encoder, message).document == #"{"i":-9223372036854775808,"d":1.0,"e":1e+300,"b":false,"s":"12"}"#)
    }
}
