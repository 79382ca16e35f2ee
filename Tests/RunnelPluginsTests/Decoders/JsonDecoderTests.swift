import RunnelCore
@testable import RunnelPlugins
import Testing

@Suite struct JsonDecoderTests {
    static let plain = "[decoder]\ntype = \"JsonDecoder\"\n"

    @Test func valuesBecomeTypedFieldsAndNestedKeysAreFlattened() throws {
        let decoder = try DecoderFixture.decoder(Self.plain)
        let message = try DecoderFixture.decodeOne(decoder, #"""
            {"msg":"Start Request","count":3,"ratio":0.5,"ok":true,"extra":{"workspace-id":"cN907xLngi","deep":{"n":-1}},
             "tags":["a","b"],"nums":[1,2.5],"ints":[1,2],"flags":[true,false],"mixed":[1,"x",{"k":"v"},null],
             "nothing":null,"empty":[],"esc":"line\nbreak \u00e9"}
            """#)
        #expect(message.fields == [
            .string("msg", "Start Request"), .integer("count", 3), .double("ratio", 0.5), .bool("ok", true),
            .string("extra.workspace-id", "cN907xLngi"), .integer("extra.deep.n", -1),
            Field(name: "tags", values: .string(["a", "b"])), Field(name: "nums", values: .double([1, 2.5])),
            Field(name: "ints", values: .integer([1, 2])), Field(name: "flags", values: .bool([true, false])),
            .integer("mixed.0", 1), .string("mixed.1", "x"), .string("mixed.2.k", "v"),
            .string("esc", "line\nbreak é"),
        ])
        #expect(message.payload == nil, "the payload is cleared by default")
        #expect(message.type == "stdin" && message.hostname == "test-host" && message.timestamp == 1_000,
                "what no key sets stays as the input made it")
    }

    /// Heka's Lua JSON decoder example: a severity key and an RFC 3339 time mapped to the header.
    @Test func mappedKeysSetTheHeaderInsteadOfFields() throws {
        let decoder = try DecoderFixture.decoder(Self.plain + """
            message_type = "artemis"
            keep_payload = true
            severity_field = "severity"
            timestamp_field = "time"
            """)
        let json = #"{"msg":"Start Request","event":"artemis.web.ensure-running","extra":{"workspace-id":"cN907xLngi"},"time":"2015-05-06T20:40:05.509926234Z","severity":1}"#
        let message = try DecoderFixture.decodeOne(decoder, json)
        #expect(message.type == "artemis")
        #expect(message.severity == 1)
        #expect(message.timestamp == DecoderFixture.utc(2015, 5, 6, 20, 40, 5) + 509_926_234)
        #expect(message.payload?.string == json)
        #expect(message.fieldNames == ["msg", "event", "extra.workspace-id"])
    }

    @Test func nestedKeysCanBeMappedByTheirFlattenedName() throws {
        let decoder = try DecoderFixture.decoder(Self.plain + """
            flatten_separator = "_"
            payload_field = "log_message"
            logger_field = "log_source"
            hostname_field = "host"
            type_field = "kind"
            severity_field = "log_level"
            """)
        let message = try DecoderFixture.decodeOne(decoder,
            #"{"log":{"message":"disk full","source":"kernel","level":"WARN"},"host":"db-1","kind":7,"n":{"a":{"b":1}}}"#)
        #expect(message.payload == "disk full")
        #expect(message.logger == "kernel")
        #expect(message.hostname == "db-1")
        #expect(message.type == "7", "scalars other than strings are mapped as their text")
        #expect(message.severity == 4)
        #expect(message.fields == [.integer("n_a_b", 1)])
    }

    @Test func numericTimestampsFollowTheUnit() throws {
        func decode(_ unit: String, _ value: String) throws -> Int64 {
            let decoder = try DecoderFixture.decoder(Self.plain + "timestamp_field = \"ts\"\ntimestamp_unit = \"\(unit)\"\n")
            return try DecoderFixture.decodeOne(decoder, "{\"ts\":\(value)}").timestamp
        }
        #expect(try decode("s", "1700000000") == 1_700_000_000_000_000_000)
        #expect(try decode("s", "1700000000.25") == 1_700_000_000_250_000_000)
        #expect(try decode("ms", "1700000000123") == 1_700_000_000_123_000_000)
        #expect(try decode("us", "1700000000123456") == 1_700_000_000_123_456_000)
        #expect(try decode("ns", "1700000000123456789") == 1_700_000_000_123_456_789)
        #expect(try decode("auto", "1700000000") == 1_700_000_000_000_000_000)
        #expect(try decode("auto", "1700000000123") == 1_700_000_000_123_000_000)
        #expect(try decode("auto", "1700000000123456789") == 1_700_000_000_123_456_789)
        let decoder = try DecoderFixture.decoder(Self.plain + "timestamp_field = \"ts\"\n")
        #expect(DecoderFixture.failure(decoder, #"{"ts":9200000000000}"#)?.contains("out of range") == true)
        #expect(DecoderFixture.failure(decoder, #"{"ts":true}"#)?.contains("not a string or a number") == true)
        #expect(DecoderFixture.failure(decoder, #"{"ts":"soon"}"#)?.contains("timestamp key 'ts'") == true)
    }

    @Test func stringTimestampsUseTheLayoutAndLocation() throws {
        let decoder = try DecoderFixture.decoder(Self.plain + """
            timestamp_field = "when"
            timestamp_layout = "2006-01-02 15:04:05"
            timestamp_location = "Europe/Paris"
            """)
        #expect(try DecoderFixture.decodeOne(decoder, #"{"when":"2024-01-15 10:00:00"}"#).timestamp == DecoderFixture.utc(2024, 1, 15, 9))
    }

    @Test func severityNamesMapsAndNumbers() throws {
        let decoder = try DecoderFixture.decoder(Self.plain + "severity_field = \"level\"\n[decoder.severity_map]\nloud = 2\n")
        for (json, expected) in [(#"{"level":"loud"}"#, 2), (#"{"level":"Error"}"#, 3), (#"{"level":5}"#, 5),
                                 (#"{"level":6.0}"#, 6), (#"{"level":"info"}"#, 6)] {
            #expect(try DecoderFixture.decodeOne(decoder, json).severity == Int32(expected), "\(json)")
        }
        #expect(DecoderFixture.failure(decoder, #"{"level":"shouty"}"#)?.contains("severity key 'level' holds 'shouty'") == true)
        #expect(DecoderFixture.failure(decoder, #"{"level":1.5}"#) != nil)
    }

    @Test func invalidJSONFailsWithItsByteOffset() throws {
        let decoder = try DecoderFixture.decoder(Self.plain)
        #expect(DecoderFixture.failure(decoder, #"{"a": 1,}"#)?.hasPrefix("invalid JSON at byte 8") == true)
        #expect(DecoderFixture.failure(decoder, #"{"a": "b"#) == "invalid JSON at byte 6: unterminated string", "truncated")
        #expect(DecoderFixture.failure(decoder, [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D])?
            .hasPrefix("invalid JSON at byte 6") == true, "invalid UTF-8")
        #expect(DecoderFixture.failure(decoder, " [1,2]") == "invalid JSON at byte 1: expected a JSON object, found an array")
        #expect(DecoderFixture.failure(decoder, "") != nil)
        for payload in DecoderFixture.hostilePayloads {
            #expect(DecoderFixture.failure(decoder, payload)?.isEmpty == false, "hostile payload of \(payload.count) bytes")
        }
    }

    @Test func messageJSONDecodesTheWholeMessage() throws {
        let decoder = try DecoderFixture.decoder(Self.plain + "message_json = true\n")
        let original = Message(uuid: MessageUUID(high: 7, low: 9), timestamp: 1_416_840_893_000_000_000, type: "DockerLog",
                               logger: "stdout", severity: 3, payload: "hello", hostname: "node-1",
                               fields: [.string("ContainerName", "web"), .integer("Size", 512, representation: "B")])
        let decoded = try DecoderFixture.decodeOne(decoder, String(decoding: MessageJSON.encode(original), as: UTF8.self))
        #expect(decoded == original)
        #expect(DecoderFixture.failure(decoder, #"{"Type":"x","Timestamp":"soon"}"#)?.hasPrefix("invalid message JSON at byte") == true)
    }

    @Test func optionErrorsAreReportedAtBuildTime() {
        func errors(_ options: String) -> [String] { DecoderFixture.errors(Self.plain + options) }
        #expect(errors("message_json = true\ntimestamp_field = \"t\"").first?.contains("does not apply with message_json") == true)
        #expect(errors("timestamp_field = \"t\"\nseverity_field = \"t\"").first?.contains("already mapped") == true)
        #expect(errors("flatten_separator = \"\"").first?.contains("must not be empty") == true)
        #expect(errors("timestamp_unit = \"fortnights\"").isEmpty == false)
        #expect(errors("timestamp_layout = \"soon\"").first?.contains("no date or time element") == true)
    }
}
