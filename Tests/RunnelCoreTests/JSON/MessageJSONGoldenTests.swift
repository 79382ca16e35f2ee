import Foundation
import Synchronization
import Testing
@testable import RunnelCore

/// The exact text of the documented shape (docs/json-format.md), and that it reads back.
@Suite struct MessageJSONGoldenTests {
    private let uuid = MessageUUID(high: 0x0123_4567_89AB_4DEF, low: 0x8123_4567_89AB_CDEF)

    private func expectGolden(_ message: Message, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(String(decoding: MessageJSON.encode(message), as: UTF8.self) == json, sourceLocation: sourceLocation)
        #expect(MessageJSON.encode(message) == Array(json.utf8), "valid UTF-8 output", sourceLocation: sourceLocation)
        let decoded = try MessageJSON.decode(Array(json.utf8))
        #expect(MessageBits(decoded) == MessageBits(message), sourceLocation: sourceLocation)
    }

    @Test func hekasTestMessage() throws {
        try expectGolden(
            Message(timestamp: 1_416_840_893_000_000_000, type: "TEST"),
            #"{"Timestamp":1416840893000000000,"Type":"TEST"}"#)
    }

    @Test func emptyMessageHasOnlyTheTimestamp() throws {
        try expectGolden(Message(), #"{"Timestamp":0}"#)
    }

    @Test func unsetAndEmptyHeaderStringsDiffer() throws {
        try expectGolden(
            Message(timestamp: -1, type: "", logger: nil, payload: "", hostname: ""),
            #"{"Timestamp":-1,"Type":"","Payload":"","Hostname":""}"#)
    }

    @Test func dockerLogMessageLooksNatural() throws {
        let message = Message(
            uuid: uuid, timestamp: 1_700_000_000_123_456_789, type: "DockerLog", logger: "stdout", severity: 6,
            payload: "GET /health 200 \"curl/8.0\"\n", envVersion: "1", pid: 4242, hostname: "node-1",
            fields: [
                .string("ContainerID", "0123456789ab"),
                .string("MARATHON_APP_ID", "/shop/web"),
                .integer("Lines", 3),
                .double("Ratio", 0.25),
                .double("Whole", 2),
                .bool("Partial", false),
                Field(name: "Tags", values: .string(["a", "b"])),
                Field(name: "Codes", values: .integer([200, -1])),
            ])
        try expectGolden(
            message,
            #"{"Uuid":"01234567-89ab-4def-8123-456789abcdef","Timestamp":1700000000123456789,"Type":"DockerLog","#
                + #""Logger":"stdout","Severity":6,"Payload":"GET /health 200 \"curl/8.0\"\n","EnvVersion":"1","Pid":4242,"#
                + #""Hostname":"node-1","Fields":{"ContainerID":"0123456789ab","MARATHON_APP_ID":"/shop/web","Lines":3,"#
                + #""Ratio":0.25,"Whole":2.0,"Partial":false,"Tags":["a","b"],"Codes":[200,-1]}}"#)
    }

    @Test func longFormsForWhatTheShortFormCannotSay() throws {
        let message = Message(fields: [
            .integer("Size", 512, representation: "B"),
            .bytes("Raw", [0x00, 0xFF, 0x10]),
            Field(name: "Chunks", values: .bytes([ByteString([1]), ByteString([])])),
            Field(name: "None", values: .string([])),
            Field(name: "NoDoubles", values: .double([])),
            Field(name: "Odd", values: .double([.nan, .infinity, -.infinity, 1.5])),
            .double("Quiet", Double(bitPattern: 0x7FF8_0000_0000_0001)),
            .string("Binary", ByteString([0x61, 0xFF])),
            Field(name: "Mixed", values: .string(["ok", ByteString([0xC3])])),
            .string("Unit", "x", representation: ByteString([0xFE])),
        ])
        try expectGolden(
            message,
            #"{"Timestamp":0,"Fields":{"#
                + #""Size":{"type":"integer","representation":"B","value":512},"#
                + #""Raw":{"type":"bytes","value":"AP8Q"},"#
                + #""Chunks":{"type":"bytes","value":["AQ==",""]},"#
                + #""None":{"type":"string","value":[]},"#
                + #""NoDoubles":{"type":"double","value":[]},"#
                + #""Odd":{"type":"double","value":["NaN","Infinity","-Infinity",1.5]},"#
                + #""Quiet":{"type":"double","value":"NaN:7ff8000000000001"},"#
                + #""Binary":{"type":"string","value":{"base64":"Yf8="}},"#
                + #""Mixed":{"type":"string","value":["ok",{"base64":"ww=="}]},"#
                + #""Unit":{"type":"string","representation":{"base64":"/g=="},"value":"x"}}}"#)
    }

    @Test func headerBytesThatAreNotUTF8UseBase64() throws {
        try expectGolden(
            Message(type: ByteString([0xFF, 0x00]), payload: "ok\u{0}"),
            #"{"Timestamp":0,"Type":{"base64":"/wA="},"Payload":"ok\u0000"}"#)
    }

    @Test func repeatedNamesUseTheArrayFormInOrder() throws {
        let message = Message(fields: [
            .string("a", "1"),
            .integer("b", 2),
            .string("a", "3", representation: "r"),
        ])
        try expectGolden(
            message,
            #"{"Timestamp":0,"Fields":[{"name":"a","type":"string","value":"1"},"#
                + #"{"name":"b","type":"integer","value":2},"#
                + #"{"name":"a","type":"string","representation":"r","value":"3"}]}"#)
    }

    @Test func aNameThatIsNotUTF8UsesTheArrayForm() throws {
        let message = Message(fields: [.bool("ok", true), .bool(ByteString([0x80]), false)])
        try expectGolden(
            message,
            #"{"Timestamp":0,"Fields":[{"name":"ok","type":"bool","value":true},"#
                + #"{"name":{"base64":"gA=="},"type":"bool","value":false}]}"#)
    }

    @Test func encodeIntoAppendsToTheBuffer() {
        var buffer = Array("x\n".utf8)
        MessageJSON.encode(Message(type: "T"), into: &buffer)
        buffer.append(0x0A)
        MessageJSON.encode(Message(), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "x\n{\"Timestamp\":0,\"Type\":\"T\"}\n{\"Timestamp\":0}")
    }

    /// Each thread encodes with a writer of its own: threads encoding at once never see each
    /// other's text.
    @Test func threadsEncodingAtOnceGetTheirOwnText() {
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            let message = Message(timestamp: Int64(thread), payload: ByteString(String(repeating: "p\(thread)", count: 100 * (thread + 1))))
            let expected = MessageJSON.encode(message)
            for _ in 0..<2_000 {
                var buffer: [UInt8] = []
                MessageJSON.encode(message, into: &buffer)
                if buffer != expected { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
