import Testing
@testable import RunnelCore

@Suite struct JSONWriterTests {
    private func written(_ body: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func stringJSON(_ bytes: [UInt8]) -> (text: String, exact: Bool) {
        var writer = JSONWriter()
        let exact = writer.string(bytes)
        return (String(decoding: writer.bytes, as: UTF8.self), exact)
    }

    @Test func everyControlCharacterIsEscaped() {
        let short: [UInt8: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
        for byte in UInt8(0)..<0x20 {
            let hex = String(byte, radix: 16)
            let expected = short[byte] ?? "\\u00" + (hex.count == 1 ? "0" : "") + hex
            #expect(stringJSON([byte]).text == "\"\(expected)\"", "byte \(byte)")
        }
    }

    @Test func quoteAndBackslashAreEscapedSlashAndDelAreNot() {
        #expect(stringJSON(Array("a\"b\\c/d\u{7F}".utf8)).text == "\"a\\\"b\\\\c/d\u{7F}\"")
    }

    @Test func escapesInsideLongPlainRunsAreFound() {
        // Long enough that the eight-bytes-at-a-time scan runs, with specials at every position.
        for position in 0..<24 {
            for special: UInt8 in [0x22, 0x5C, 0x00, 0x1F, 0xC3] {
                var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 24)
                bytes[position] = special
                if special == 0xC3 { bytes.insert(0xA9, at: position + 1) }
                let (text, exact) = stringJSON(bytes)
                let expected: String
                switch special {
                case 0x22: expected = "\\\""
                case 0x5C: expected = "\\\\"
                case 0x00: expected = "\\u0000"
                case 0x1F: expected = "\\u001f"
                default: expected = "é"
                }
                let plain = String(repeating: "x", count: position) + expected + String(repeating: "x", count: 23 - position)
                #expect(text == "\"\(plain)\"" && exact, "special \(special) at \(position)")
            }
        }
    }

    @Test func unicodePassesThroughUnchanged() {
        let text = "héllo wörld 日本語 🎉 \u{10FFFF} \u{FEFF}"
        let (json, exact) = stringJSON(Array(text.utf8))
        #expect(json == "\"\(text)\"")
        #expect(exact)
    }

    @Test func invalidUTF8IsReplacedPerMaximalSubpartAndReported() {
        let cases: [([UInt8], String)] = [
            ([0xFF], "\u{FFFD}"),
            ([0x61, 0x80, 0x62], "a\u{FFFD}b"),
            ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}"),  // overlong: C0 is never a lead
            ([0xE2, 0x82], "\u{FFFD}"),  // truncated 3-byte sequence: one maximal subpart
            ([0xE2, 0x82, 0x41], "\u{FFFD}A"),
            ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}"),  // UTF-8-encoded surrogate
            ([0xF4, 0x90, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),  // above U+10FFFF
            ([0xF0, 0x9F, 0x8E], "\u{FFFD}"),
        ]
        for (bytes, expected) in cases {
            var writer = JSONWriter()
            let exact = writer.string(bytes)
            #expect(!exact)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"\(expected)\"", "\(bytes)")
            // The same repair Swift's own decoding makes (what ByteString.string shows).
            #expect("\"\(ByteString(bytes).string)\"" == String(decoding: writer.bytes, as: UTF8.self))
            #expect(writer.lossyValueCount == 1)
        }
    }

    @Test func structureGetsCommasAndColons() {
        let json = written { writer in
            writer.beginObject()
            writer.key("a")
            writer.integer(1)
            writer.key(JSONKey("b\"q"))
            writer.beginArray()
            writer.bool(true)
            writer.bool(false)
            writer.null()
            writer.beginObject()
            writer.endObject()
            writer.beginArray()
            writer.endArray()
            writer.string("s")
            writer.endArray()
            writer.key(ByteString("c"))
            writer.unsigned(UInt64.max)
            writer.endObject()
        }
        #expect(json == #"{"a":1,"b\"q":[true,false,null,{},[],"s"],"c":18446744073709551615}"#)
    }

    @Test func integersAtTheLimits() {
        let json = written { writer in
            writer.beginArray()
            for value: Int64 in [0, -1, 9, 10, -10, .max, .min] { writer.integer(value) }
            writer.endArray()
        }
        #expect(json == "[0,-1,9,10,-10,9223372036854775807,-9223372036854775808]")
    }

    @Test func doublesAreShortestAndAlwaysLookLikeDoubles() {
        let cases: [(Double, String)] = [
            (1, "1.0"), (-0.0, "-0.0"), (0, "0.0"), (0.1, "0.1"), (1e15, "1000000000000000.0"),
            (1e16, "1e+16"), (9_007_199_254_740_991, "9007199254740991.0"), (0.30000000000000004, "0.30000000000000004"),
            (1e-5, "1e-05"), (.leastNonzeroMagnitude, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
            (-2.5, "-2.5"), (123456789.125, "123456789.125"),
        ]
        for (value, expected) in cases {
            #expect(written { $0.double(value) } == expected)
            #expect(expected == value.description, "matches Swift's shortest form")
        }
    }

    @Test func nonFiniteDoublesBecomeNullAndAreReported() {
        var writer = JSONWriter()
        writer.beginArray()
        let results = [writer.double(.nan), writer.double(.infinity), writer.double(-.infinity), writer.double(1.5)]
        #expect(results == [false, false, false, true])
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[null,null,null,1.5]")
        #expect(writer.lossyValueCount == 3)
    }

    @Test func resetStartsFreshAndLineBreakStartsANewText() {
        var writer = JSONWriter(reservingCapacity: 16)
        writer.beginArray()
        writer.integer(1)
        writer.string("x")
        let wroteNaN = writer.double(.nan)
        #expect(!wroteNaN && writer.lossyValueCount == 1)
        writer.reset()
        writer.integer(2)
        writer.lineBreak()
        writer.beginObject()
        writer.key("k")
        writer.string(String(repeating: "long ", count: 20))  // grows past the initial capacity
        writer.endObject()
        writer.lineBreak()
        writer.integer(3)
        let expected = "2\n{\"k\":\"" + String(repeating: "long ", count: 20) + "\"}\n3"
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        #expect(writer.count == expected.utf8.count)
        #expect(writer.lossyValueCount == 0)
        var buffer = Array("> ".utf8)
        writer.append(to: &buffer)
        #expect(buffer == Array(("> " + expected).utf8))
        #expect(writer.withUnsafeBytes { Array($0) } == writer.bytes)
    }

    @Test func everyJSONValueRoundTripsThroughTheReader() throws {
        let value = JSONValue.object([
            JSONMember(key: "a", value: .array([.integer(-3), .double(2.5), .double(1), .string("x\n"), .null])),
            JSONMember(key: "a", value: .bool(false)),
            JSONMember(key: "ü", value: .object([])),
        ])
        var writer = JSONWriter()
        writer.value(value)
        #expect(try JSONReader.parse(writer.bytes) == value)
    }
}
