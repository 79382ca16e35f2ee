import Testing
@testable import RunnelCore

/// Documents TOML 1.0 rejects, each with the line, column and words of the expected error.
@Suite struct TOMLInvalidDocumentTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var column: Int
        var fragment: String
        var testDescription: String { fragment }
    }

    static let cases: [Case] = [
        // Keys and key/value pairs
        Case(text: "a = 1\nb\n", line: 2, column: 2, fragment: "expected '=' after the key b"),
        Case(text: "= 1", line: 1, column: 1, fragment: "expected a key"),
        Case(text: "a = ", line: 1, column: 5, fragment: "expected a value"),
        Case(text: "a = 1 b = 2", line: 1, column: 7, fragment: "expected a line break after a value"),
        Case(text: "a.b = 1\na.b = 2", line: 2, column: 3, fragment: "duplicate key 'a.b' (first defined at line 1, column 3)"),
        Case(text: "a = 1\na.b = 2", line: 2, column: 1, fragment: "'a' already holds an integer (line 1)"),
        Case(text: "a..b = 1", line: 1, column: 3, fragment: "expected a key"),
        Case(text: "\"\"\"k\"\"\" = 1", line: 1, column: 1, fragment: "a key cannot be a multi-line string"),
        Case(text: "a = 1\n\n  x y = 1", line: 3, column: 5, fragment: "expected '=' after the key x"),
        // Tables
        Case(text: "[a]\n[a]", line: 2, column: 1, fragment: "table [a] is defined twice (first at line 1)"),
        Case(text: "[a]\nb.c = 1\n[a.b]", line: 3, column: 1, fragment: "table [a.b] was already created by dotted keys at line 2"),
        Case(text: "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", line: 4, column: 1, fragment: "dotted keys cannot add to table 'b'"),
        Case(text: "a = {}\n[a.b]", line: 2, column: 2, fragment: "'a' already holds an inline table"),
        Case(text: "a = { b = 1 }\na.c = 2", line: 2, column: 1, fragment: "'a' already holds an inline table (line 1); it cannot be extended"),
        Case(text: "a = [1]\n[[a]]", line: 2, column: 1, fragment: "cannot append to [[a]]: it already holds an array (line 1)"),
        Case(text: "[[a]]\n[a]", line: 2, column: 1, fragment: "[a] is already an array of tables (line 1)"),
        Case(text: "[a\nb = 1", line: 1, column: 3, fragment: "expected ']' to close the table header"),
        Case(text: "[tcp:5565]\naddress = 1", line: 1, column: 5, fragment: #"must be quoted: ["tcp:5565"]"#),
        Case(text: "[a] x", line: 1, column: 5, fragment: "after the table header"),
        Case(text: "[]", line: 1, column: 2, fragment: "expected a key"),
        // Strings
        Case(text: "s = \"abc", line: 1, column: 9, fragment: "unterminated string"),
        Case(text: "s = \"abc\ndef\"", line: 1, column: 9, fragment: "must be closed on the line where it starts"),
        Case(text: "s = \"\\q\"", line: 1, column: 6, fragment: "invalid escape sequence: a backslash followed by 'q'"),
        Case(text: "s = \"\\u12\"", line: 1, column: 6, fragment: "\\u must be followed by 4 hexadecimal digits"),
        Case(text: "s = \"\\uD800\"", line: 1, column: 6, fragment: "is not a Unicode scalar value"),
        Case(text: "s = \"a\u{7}b\"", line: 1, column: 7, fragment: "control character U+0007 must be escaped"),
        Case(text: "s = '''\nabc", line: 2, column: 4, fragment: "unterminated multi-line string (opened at line 1, column 5)"),
        Case(text: "s = \"\"\"a\"\"\"\"\"\"", line: 1, column: 14, fragment: "expected a line break after a value, found '\"'"),
        // Numbers
        Case(text: "n = 012", line: 1, column: 5, fragment: "'012' is not a valid number: leading zeros are not allowed"),
        Case(text: "n = 1__0", line: 1, column: 5, fragment: "'1__0' is not a valid number"),
        Case(text: "n = 1_", line: 1, column: 5, fragment: "'1_' is not a valid number"),
        Case(text: "n = -0x1F", line: 1, column: 5, fragment: "cannot have a sign"),
        Case(text: "n = 0xG", line: 1, column: 5, fragment: "'0xG' is not a valid number"),
        Case(text: "n = 9223372036854775808", line: 1, column: 5, fragment: "out of the 64-bit integer range"),
        Case(text: "n = 1.", line: 1, column: 5, fragment: "a decimal point must have digits on both sides"),
        Case(text: "n = .5", line: 1, column: 5, fragment: "expected a value"),
        Case(text: "n = 1e", line: 1, column: 5, fragment: "the exponent needs digits"),
        Case(text: "n = Inf", line: 1, column: 5, fragment: "expected a value"),
        // Booleans
        Case(text: "b = True", line: 1, column: 5, fragment: "expected a value"),
        Case(text: "b = trueish", line: 1, column: 9, fragment: "expected a line break after a value, found 'i'"),
        // Date-times
        Case(text: "d = 1979-13-01", line: 1, column: 5, fragment: "month 13 does not exist"),
        Case(text: "d = 2001-02-29", line: 1, column: 5, fragment: "day 29 does not exist in 2001-02"),
        Case(text: "d = 1979-05-27T25:00:00", line: 1, column: 16, fragment: "hour 25"),
        Case(text: "d = 1979-05-27T07:32", line: 1, column: 21, fragment: "expected ':' in a date-time"),
        Case(text: "d = 1979-05-27T07:32:00+07", line: 1, column: 27, fragment: "expected ':' in a date-time"),
        Case(text: "t = 07:32:00Z", line: 1, column: 13, fragment: "expected a line break after a value, found 'Z'"),
        // Arrays and inline tables
        Case(text: "a = [1, 2", line: 1, column: 10, fragment: "unterminated array (opened at line 1, column 5)"),
        Case(text: "a = [1 2]", line: 1, column: 8, fragment: "expected ',' or ']' in the array, found '2'"),
        Case(text: "a = [,]", line: 1, column: 6, fragment: "expected a value"),
        Case(text: "t = { a = 1, }", line: 1, column: 12, fragment: "a trailing comma is not allowed in an inline table"),
        Case(text: "t = { a = 1\n}", line: 1, column: 12, fragment: "unterminated inline table"),
        Case(text: "t = { a = 1, a = 2 }", line: 1, column: 14, fragment: "duplicate key 'a'"),
        Case(text: "t = { a.b = 1, a = 2 }", line: 1, column: 16, fragment: "duplicate key 'a'"),
        // Whole-document problems
        Case(text: "a = 1\r b = 2", line: 1, column: 6, fragment: "a carriage return must be followed by a line feed"),
        Case(text: "# bell \u{7}\na = 1", line: 1, column: 8, fragment: "control character U+0007 is not allowed in a comment"),
        Case(text: "a = " + String(repeating: "[", count: 200), line: 1, column: 105, fragment: "values nested more than 100 levels deep"),
    ]

    @Test(arguments: cases)
    func reportsLineColumnAndMessage(_ example: Case) {
        do {
            let table = try TOML.parse(example.text, fileName: "bad.toml")
            Issue.record("accepted invalid TOML: \(table)")
        } catch {
            #expect(error.location.file == "bad.toml")
            #expect(error.location.line == example.line, "\(error)")
            #expect(error.location.column == example.column, "\(error)")
            #expect(error.message.contains(example.fragment), "\(error)")
            #expect(error.description.hasPrefix("bad.toml:\(example.line):\(example.column): "))
        }
    }

    @Test func invalidUTF8IsReportedWithItsPosition() {
        let bytes: [UInt8] = Array("a = \"x".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        let error = #expect(throws: TOMLSyntaxError.self) { try TOML.parse(bytes: bytes, fileName: "bin.toml") }
        #expect(error?.message.contains("invalid UTF-8 (byte 0xC3)") == true)
        #expect(error?.location.line == 1)
        #expect(error?.location.column == 7)
    }

    @Test func overlongAndSurrogateEncodingsAreInvalidUTF8() {
        #expect(TOMLSyntax.firstInvalidUTF8Offset([0x61, 0xC0, 0xAF]) == 1)
        #expect(TOMLSyntax.firstInvalidUTF8Offset([0xED, 0xA0, 0x80]) == 0)
        #expect(TOMLSyntax.firstInvalidUTF8Offset([0xF4, 0x90, 0x80, 0x80]) == 0)
        #expect(TOMLSyntax.firstInvalidUTF8Offset([0xE2, 0x82]) == 0)
        #expect(TOMLSyntax.firstInvalidUTF8Offset(Array("ok é 😀".utf8)) == nil)
    }

    @Test func deeplyNestedHeadersAreRefused() {
        let path = (0..<150).map { "k\($0)" }.joined(separator: ".")
        let error = #expect(throws: TOMLSyntaxError.self) { try TOML.parse("[\(path)]", fileName: "deep.toml") }
        #expect(error?.message.contains("more than 100") == true)
    }
}
