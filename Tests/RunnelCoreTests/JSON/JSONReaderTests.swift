import Testing
@testable import RunnelCore

@Suite struct JSONReaderTests {
    private func parse(_ text: String, _ options: JSONReader.Options = .init()) throws(JSONError) -> JSONValue {
        try JSONReader.parse(text, options: options)
    }

    private func failure(_ bytes: [UInt8], _ options: JSONReader.Options = .init()) -> JSONError? {
        do {
            _ = try JSONReader.parse(bytes, options: options)
            return nil
        } catch {
            return error
        }
    }

    private func failure(_ text: String, _ options: JSONReader.Options = .init()) -> JSONError? {
        failure(Array(text.utf8), options)
    }

    @Test func scalarsKeepIntegerAndDoubleApart() throws {
        #expect(try parse("1") == .integer(1))
        #expect(try parse("-0") == .integer(0))
        #expect(try parse("1.0") == .double(1))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("1E+3") == .double(1000))
        #expect(try parse("-2.5e-3") == .double(-0.0025))
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("\n\tnull\r ") == .null)
        #expect(try parse(#""a\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83c\udf89""#) == .string("a\"\\/\u{8}\u{C}\n\r\té€🎉"))
    }

    @Test func negativeZeroDoubleKeepsItsSign() throws {
        guard case .double(let value) = try parse("-0.0") else {
            Issue.record("not a double")
            return
        }
        #expect(value == 0 && value.sign == .minus)
    }

    @Test func doublesParseCorrectlyRounded() throws {
        let texts = [
            "0.1", "0.30000000000000004", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
            "123456789012345678901234567890", "0.000001234567890123456789", "9007199254740993.0",
            "1.00000000000000011102230246251565404236316680908203125", "4.9406564584124654e-324", "1e-400",
            "3.141592653589793", "100000000000000000000000.0", "1e22", "1e23", "7.0e-10",
        ]
        for text in texts {
            let value = try parse(text.contains(".") || text.contains("e") ? text : text + ".0")
            #expect(value == .double(Double(text)!), "\(text)")
        }
    }

    @Test func objectsKeepOrderAndDuplicatesUnlessAsked() throws {
        let value = try parse(#"{"b":1,"a":[],"b":{"c":null}}"#)
        #expect(value == .object([
            JSONMember(key: "b", value: .integer(1)),
            JSONMember(key: "a", value: .array([])),
            JSONMember(key: "b", value: .object([JSONMember(key: "c", value: .null)])),
        ]))
        #expect(value["b"] == .integer(1))
        let error = failure(#"{"b":1,"a":2,"b":3}"#, .init(rejectDuplicateKeys: true))
        #expect(error == JSONError(offset: 13, reason: "duplicate key \"b\""))
        // Keys compare after unescaping.
        #expect(failure(#"{"a":1,"\u0061":2}"#, .init(rejectDuplicateKeys: true))?.offset == 7)
    }

    @Test func errorsCarryOffsetAndReason() {
        let cases: [(String, Int, String)] = [
            ("", 0, "unexpected end of input, expected a value"),
            ("   ", 3, "unexpected end of input, expected a value"),
            ("{", 1, "unexpected end of input, expected '\"' starting a key or '}'"),
            ("[1,]", 3, "trailing comma before ']'"),
            ("[1,", 3, "unexpected end of input, expected a value"),
            ("[1, ", 4, "unexpected end of input, expected a value"),
            (#"{"a":1,"#, 7, "unexpected end of input, expected '\"' starting a key"),
            (#"{"a":1,}"#, 7, "trailing comma before '}'"),
            ("[1 2]", 3, "expected ',' or ']', found '2'"),
            (#"{"a" 1}"#, 5, "expected ':' after an object key, found '1'"),
            ("{1:2}", 1, "expected '\"' starting a key, found '1'"),
            ("01", 0, "leading zeros are not allowed in a number"),
            ("-", 1, "unexpected end of input, expected a digit after '-'"),
            ("-a", 1, "expected a digit after '-', found 'a'"),
            ("1.", 2, "unexpected end of input, expected a digit after '.'"),
            ("1.e5", 2, "expected a digit after '.', found 'e'"),
            ("1e", 2, "unexpected end of input, expected a digit in the exponent"),
            ("+1", 0, "expected a value, found '+'"),
            (".5", 0, "expected a value, found '.'"),
            ("tru", 0, "invalid literal, expected 'true'"),
            ("nul", 0, "invalid literal, expected 'null'"),
            ("NaN", 0, "expected a value, found 'N'"),
            ("[1] x", 4, "unexpected data after the JSON value: 'x'"),
            ("{}{}", 2, "unexpected data after the JSON value: '{'"),
            ("\"abc", 0, "unterminated string"),
            ("\"a\\", 2, "unterminated string"),
            (#""\x""#, 1, "invalid escape '\\x'"),
            (#""\u12G4""#, 5, "invalid \\u escape: 'G' is not a hex digit"),
            (#""\u12""#, 5, "invalid \\u escape: '\"' is not a hex digit"),
            (#""\ud800""#, 1, "lone surrogate \\uD800: a high surrogate must be followed by a low one"),
            (#""\ud800\u0041""#, 1, "lone surrogate \\uD800: a high surrogate must be followed by a low one"),
            (#""x\udc00""#, 2, "lone surrogate \\uDC00: a low surrogate must follow a high one"),
            ("\"a\tb\"", 2, "control character byte 0x09 must be escaped in a string"),
            ("\"a\u{0}\"", 2, "control character byte 0x00 must be escaped in a string"),
            ("18446744073709551616", 0, "integer does not fit in 64 bits (write it with a fraction or exponent to read it as a double)"),
            ("-9223372036854775809", 0, "integer does not fit in 64 bits (write it with a fraction or exponent to read it as a double)"),
            ("1e400", 0, "number is out of range for a double"),
            ("-1.5e309", 0, "number is out of range for a double"),
            ("\u{FEFF}1", 0, "expected a value, found byte 0xEF"),
        ]
        for (text, offset, reason) in cases {
            #expect(failure(text) == JSONError(offset: offset, reason: reason), "\(text.debugDescription)")
        }
    }

    @Test func hugeNumbersAsDoublesAreFine() throws {
        #expect(try parse("18446744073709551616.0") == .double(18446744073709551616.0))
        #expect(try parse("1e308") == .double(1e308))
        #expect(try parse("123456789012345678901234567890e-10") == .double(12345678901234567890.1234567890))
    }

    @Test func invalidUTF8InTheTextIsRejectedAtItsByte() {
        #expect(failure([0x22, 0x61, 0xFF, 0x22]) == JSONError(offset: 2, reason: "invalid UTF-8 in a string"))
        #expect(failure([0x22, 0xED, 0xA0, 0x80, 0x22])?.offset == 1)  // an encoded surrogate
        #expect(failure([0x22, 0xC3]) == JSONError(offset: 1, reason: "invalid UTF-8 in a string"))
        #expect(failure([0x5B, 0xC3, 0xA9, 0x5D]) == JSONError(offset: 1, reason: "expected a value, found byte 0xC3"))
        // DEL and valid multi-byte text are fine.
        #expect(failure([0x22, 0x7F, 0xC3, 0xA9, 0xF0, 0x9F, 0x8E, 0x89, 0x22]) == nil)
    }

    @Test func nestingIsLimited() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(failure(deepest) == nil)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(failure(tooDeep) == JSONError(offset: 512, reason: "nesting is deeper than 512 levels"))
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(failure(hostile)?.reason == "nesting is deeper than 512 levels")
        #expect(failure("[[1]]", .init(maxDepth: 1))?.offset == 1)
    }

    @Test func acceptsSlicesAndOtherCollections() throws {
        let bytes = Array("xx[1,2]yy".utf8)
        #expect(try JSONReader.parse(bytes[2..<7]) == .array([.integer(1), .integer(2)]))
        #expect(try JSONReader.parse(Array("[3]".utf8).lazy.map { $0 }) == .array([.integer(3)]))
    }

    @Test func randomBytesNeverCrashTheReader() {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        let alphabet = Array(#"{}[]:,"\ u0123456789abcdefeE+-.truefalsenull"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF, 0xED]
        var accepted = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            if (try? JSONReader.parse(bytes)) != nil { accepted += 1 }
        }
        #expect(accepted > 0)
    }
}
