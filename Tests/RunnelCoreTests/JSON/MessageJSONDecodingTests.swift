import Testing
@testable import RunnelCore

/// What hand-written or other tools' JSON may look like beyond the writer's own canonical text.
@Suite struct MessageJSONDecodingTests {
    private func decode(_ text: String) throws(MessageJSONError) -> Message {
        try MessageJSON.decode(Array(text.utf8))
    }

    @Test func keysInAnyOrderWithWhitespaceAndNulls() throws {
        let message = try decode("""
            {
              "Hostname": "h", "Pid": null, "Type": null,
              "Uuid": "01234567-89AB-4DEF-8123-456789ABCDEF",
              "Fields": {"n": 1}, "Severity": 3, "Timestamp": 5
            }

            """)
        #expect(message == Message(
            uuid: MessageUUID(high: 0x0123_4567_89AB_4DEF, low: 0x8123_4567_89AB_CDEF), timestamp: 5, severity: 3,
            hostname: "h", fields: [.integer("n", 1)]))
        #expect(try decode(#"{"Fields":null,"Uuid":null,"Timestamp":null}"#) == Message())
        #expect(try decode("{}") == Message())
    }

    @Test func shortFormsReadNaturally() throws {
        let message = try decode(#"{"Fields":{"s":"x","i":-2,"d":1e2,"b":true,"one":["only"],"nums":[1,2.5],"flags":[true,false]}}"#)
        #expect(message.fields == [
            .string("s", "x"), .integer("i", -2), .double("d", 100), .bool("b", true),
            Field(name: "one", values: .string(["only"])),
            Field(name: "nums", values: .double([1, 2.5])),
            Field(name: "flags", values: .bool([true, false])),
        ])
        #expect(try decode(#"{"Fields":{"n":[2.5,1,3]}}"#).fields == [Field(name: "n", values: .double([2.5, 1, 3]))])
    }

    @Test func longFormsInAnyOrder() throws {
        let message = try decode("""
            {"Fields":{
              "a":{"value":[1,2],"type":"double"},
              "b":{"value":{"base64":"/w=="},"representation":"r","type":"string"},
              "c":{"type":"bytes","value":"AP\\/w"},
              "d":{"type":"double","value":"NaN:FFF8000000000000"},
              "e":{"type":"string","representation":null,"value":["x"]}
            }}
            """)
        #expect(message.fields[0] == Field(name: "a", values: .double([1, 2])))
        #expect(message.fields[1] == Field(name: "b", representation: "r", values: .string([ByteString([0xFF])])))
        #expect(message.fields[2] == Field(name: "c", values: .bytes([ByteString([0x00, 0xFF, 0xF0])])))
        guard case .double(let nan) = message.fields[3].values else {
            Issue.record("not a double field")
            return
        }
        #expect(nan[0].bitPattern == 0xFFF8_0000_0000_0000)
        #expect(message.fields[4] == .string("e", "x"))
        let array = try decode(#"{"Fields":[{"value":true,"type":"bool","name":"x"},{"name":"x","type":"bool","value":[]}]}"#)
        #expect(array.fields == [.bool("x", true), Field(name: "x", values: .bool([]))])
    }

    @Test func escapedKeysAndNamesAreUnescaped() throws {
        let message = try decode(#"{"\u0054ype":"T","Fields":{"a\"b":"\u00e9"}}"#)
        #expect(message.type == "T")
        #expect(message.fields == [.string("a\"b", "é")])
    }

    @Test func errorsNameTheByteAndTheProblem() {
        let cases: [(String, Int, String)] = [
            ("[]", 0, "expected '{' starting a message object, found '['"),
            (#"{"Timestamp":1} x"#, 16, "unexpected data after the JSON value: 'x'"),
            (#"{"Hostame":"h"}"#, 1,
             "unknown key \"Hostame\"; a message has Uuid, Timestamp, Type, Logger, Severity, Payload, EnvVersion, Pid, Hostname, Fields"),
            (#"{"Type":"a","Type":"b"}"#, 12, "duplicate key \"Type\""),
            (#"{"Timestamp":"5"}"#, 13, "expected an integer for Timestamp, found '\"'"),
            (#"{"Timestamp":1.5}"#, 13, "Timestamp must be an integer, without fraction or exponent"),
            (#"{"Timestamp":1e3}"#, 13, "Timestamp must be an integer, without fraction or exponent"),
            (#"{"Timestamp":99999999999999999999}"#, 13,
             "integer does not fit in 64 bits (write it with a fraction or exponent to read it as a double)"),
            (#"{"Severity":2147483648}"#, 12, "Severity 2147483648 is out of range (-2147483648...2147483647)"),
            (#"{"Pid":true}"#, 7, "expected an integer for Pid, found 't'"),
            (#"{"Uuid":"0123456789ab4def8123456789abcdef"}"#, 8,
             "Uuid must look like 01234567-89ab-cdef-0123-456789abcdef, found \"0123456789ab4def8123456789abcdef\""),
            (#"{"Uuid":5}"#, 8, "expected a UUID string for Uuid, found '5'"),
            (#"{"Type":5}"#, 8, "expected a string or a {\"base64\": …} object for Type, found '5'"),
            (#"{"Type":{"base64":"/w="}}"#, 22, "bad base64 for Type: base64 length 3 is not a multiple of 4"),
            (#"{"Type":{"base64":"/w=A"}}"#, 22, "bad base64 for Type: 'A' follows '=' padding"),
            (#"{"Type":{"base64":"/w=!"}}"#, 22, "bad base64 for Type: '!' is not a base64 character"),
            (#"{"Type":{"base64":"/==="}}"#, 20, "bad base64 for Type: '=' padding is only allowed at the end"),
            (#"{"Type":{"base64":"/x=="}}"#, 20, "bad base64 for Type: base64 is not canonical (unused bits set)"),
            (#"{"Type":{"base64":"a?=="}}"#, 20, "bad base64 for Type: '?' is not a base64 character"),
            (#"{"Type":{"b64":"AA=="}}"#, 9, "unknown key \"b64\" in the {\"base64\": …} object for Type"),
            (#"{"Type":{}}"#, 8, "the object for Type needs a \"base64\" string"),
            (#"{"Fields":"x"}"#, 10, "expected an object, or an array of named long forms, for Fields, found '\"'"),
            (#"{"Fields":{"a":1,"a":2}}"#, 17,
             "field \"a\" appears twice in the Fields object; repeated names need the Fields array form"),
            (#"{"Fields":{"a":null}}"#, 15,
             "field \"a\" is null, which has no type; write an empty field as {\"type\":\"string\",\"value\":[]}"),
            (#"{"Fields":{"a":[]}}"#, 15,
             "field \"a\": an empty array has no type; write {\"type\":\"string\",\"value\":[]}"),
            (#"{"Fields":{"a":[1,"x"]}}"#, 18, "field \"a\": an array mixes integer and string values"),
            (#"{"Fields":{"a":[1,"#, 18, "unexpected end of input, expected a value"),
            (#"{"Fields":[{"name":"a","type":"bool","value":true},"#, 51, "unexpected end of input, expected a value"),
            (#"{"Fields":{"a":[[1]]}}"#, 16,
             "field \"a\": array elements must be strings, numbers or booleans; other values need the long form"),
            (#"{"Fields":{"a":{"value":1}}}"#, 15, "field \"a\" needs \"type\" (string, bytes, integer, double, bool)"),
            (#"{"Fields":{"a":{"type":"integer"}}}"#, 15, "field \"a\" needs \"value\""),
            (#"{"Fields":{"a":{"type":"int","value":1}}}"#, 23,
             "unknown field type \"int\"; the types are string, bytes, integer, double, bool"),
            (#"{"Fields":{"a":{"type":"bool","values":[]}}}"#, 30,
             "unknown key \"values\" in a field's long form; it has type, representation and value"),
            (#"{"Fields":{"a":{"name":"b","type":"bool","value":true}}}"#, 16,
             "\"name\" is only for the Fields array form; in the Fields object the key is the name"),
            (#"{"Fields":{"a":{"type":"bool","type":"bool","value":true}}}"#, 30, "duplicate key \"type\""),
            (#"{"Fields":{"a":{"type":"integer","value":1.0}}}"#, 41, "an integer value cannot have a fraction or exponent"),
            (#"{"Fields":{"a":{"type":"integer","value":[1,"2"]}}}"#, 44, "expected an integer value, found '\"'"),
            (#"{"Fields":{"a":{"value":[1,"2"],"type":"integer"}}}"#, 27, "expected an integer value, found '\"'"),
            (#"{"Fields":{"a":{"type":"bytes","value":"AAA"}}}"#, 43, "bad base64 for a bytes value: base64 length 3 is not a multiple of 4"),
            (#"{"Fields":{"a":{"type":"double","value":"nan"}}}"#, 40,
             "\"nan\" is not a double; non-finite values are \"NaN\", \"Infinity\", \"-Infinity\" or \"NaN:<16 hex digits>\""),
            (#"{"Fields":{"a":{"type":"double","value":"NaN:7ff0000000000000"}}}"#, 40,
             "\"NaN:7ff0000000000000\" is not a double; non-finite values are \"NaN\", \"Infinity\", \"-Infinity\" or \"NaN:<16 hex digits>\""),
            (#"{"Fields":{"a":{"type":"bool","value":"true"}}}"#, 38, "expected true or false, found '\"'"),
            (#"{"Fields":[{"type":"bool","value":true}]}"#, 11, "a field in the Fields array needs \"name\""),
            (#"{"Fields":["a"]}"#, 11,
             "expected a field object with \"name\", \"type\" and \"value\" in the Fields array, found '\"'"),
            (#"{"Fields":{"a":{"type":"string","value":{"base64":"AA==","x":1}}}}"#, 57,
             "unknown key \"x\" in the {\"base64\": …} object for a string value"),
            (#"{"Fields":{"a":{"type":"string","value":[["#, 41,
             "expected a string or a {\"base64\": …} object for a string value, found '['"),
            (#"{"Fields":{"a":{"value":[[[[[[[[[[[[[[[[[[[[["#, 37, "nesting is deeper than 16 levels"),
            ("{\"Type\":\"a\u{1}\"}", 10, "control character byte 0x01 must be escaped in a string"),
        ]
        for (text, offset, reason) in cases {
            #expect(throws: MessageJSONError(offset: offset, reason: reason), "\(text)") { try decode(text) }
        }
    }

    @Test func errorDescriptionNamesTheByte() {
        let error = MessageJSONError(offset: 12, reason: "duplicate key \"Type\"")
        #expect(error.description == "invalid message JSON at byte 12: duplicate key \"Type\"")
    }

    @Test func invalidUTF8InTheInputIsRejectedNotRepaired() {
        let bytes: [UInt8] = Array(#"{"Type":"a"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(throws: MessageJSONError(offset: 10, reason: "invalid UTF-8 in a string")) { try MessageJSON.decode(bytes) }
    }
}
