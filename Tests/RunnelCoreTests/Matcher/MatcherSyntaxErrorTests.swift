import Testing
@testable import RunnelCore

/// Parse errors name the right column (in characters) and say what is wrong.
@Suite struct MatcherSyntaxErrorTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        let expression: String
        let column: Int
        let messageContains: String
        var testDescription: String { expression.debugDescription }
    }

    @Test(arguments: [
        Expectation(expression: "Type = 'test'", column: 6, messageContains: "'=' is not an operator"),
        Expectation(expression: "Typo == 'x'", column: 1, messageContains: "unknown variable 'Typo'"),
        Expectation(expression: "type == 'x'", column: 1, messageContains: "did you mean 'Type'?"),
        Expectation(expression: "Type == 'x' && Pid =~ /6/", column: 20, messageContains: "'Pid' is numeric"),
        Expectation(expression: "Type == 'unterminated", column: 9, messageContains: "unterminated string"),
        Expectation(expression: "Type =~ /unterminated", column: 9, messageContains: "unterminated regex"),
        Expectation(expression: "(Type == 'x'", column: 13, messageContains: "expected ')' to close the '(' at column 1"),
        Expectation(expression: "Type == 'x')", column: 12, messageContains: "unmatched ')'"),
        Expectation(expression: "Fields[test][a]", column: 14, messageContains: "field index must be a non-negative whole number"),
        Expectation(expression: "Fields[test][0][]", column: 16, messageContains: "empty array index"),
        Expectation(expression: "Fields[test][0][0][0]", column: 19, messageContains: "too many indices"),
        Expectation(expression: "Fields[] == 1", column: 7, messageContains: "empty field name"),
        Expectation(expression: "Fields [x] == 1", column: 7, messageContains: "expected '[' right after 'Fields'"),
        Expectation(expression: "Type =~ /\\ytest/", column: 9, messageContains: "invalid regex"),
        Expectation(expression: "Type", column: 5, messageContains: "expected an operator after 'Type'"),
        Expectation(expression: "Type 'x'", column: 6, messageContains: "expected an operator after 'Type'"),
        Expectation(expression: "Type ==", column: 8, messageContains: "expected a value after '=='"),
        Expectation(expression: "Fields[x] > NIL", column: 11, messageContains: "NIL can only be compared with '==' or '!='"),
        Expectation(expression: "Fields[x] < TRUE", column: 11, messageContains: "TRUE and FALSE can only be compared"),
        Expectation(expression: "Type == NIL", column: 9, messageContains: "NIL can only be compared with Fields"),
        Expectation(expression: "Severity == 'x'", column: 13, messageContains: "'Severity' is numeric"),
        Expectation(expression: "Logger == 5", column: 11, messageContains: "'Logger' is a string"),
        Expectation(expression: "TRUE FALSE", column: 6, messageContains: "expected '&&' or '||' before 'FALSE'"),
        Expectation(expression: "Severity == 1.2.3", column: 13, messageContains: "malformed number '1.2.3'"),
        Expectation(expression: "Severity == 6 & TRUE", column: 15, messageContains: "use '&&'"),
        Expectation(expression: "", column: 1, messageContains: "empty expression"),
        Expectation(expression: "TRUE &&", column: 8, messageContains: "expected a condition"),
        // Columns count characters, not bytes: é is one column.
        Expectation(expression: "Payload == 'é' && Typo == 1", column: 19, messageContains: "unknown variable 'Typo'"),
        // A newline is one character of the expression.
        Expectation(expression: "Type == 'x'\n&& Bogus == 1", column: 16, messageContains: "unknown variable 'Bogus'"),
    ])
    func columnAndMessage(_ expected: Expectation) {
        do {
            _ = try MessageMatcher(expected.expression)
            Issue.record("\(expected.expression.debugDescription) should not parse")
        } catch {
            #expect(error.column == expected.column, "\(error)")
            #expect(error.message.contains(expected.messageContains), "\(error)")
            #expect(error.expression == expected.expression)
        }
    }

    @Test func descriptionNamesColumnAndPointsAtIt() throws {
        let error = try #require(throws: MatcherSyntaxError.self) { try MessageMatcher("Type = 'test'") }
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("message_matcher: "))
        #expect(lines[0].hasSuffix(" at column 6: Type = 'test'"))
        // The caret sits under the '=' of the expression printed at the end of the first line.
        let expressionStart = lines[0].count - "Type = 'test'".count
        #expect(lines[1] == String(repeating: " ", count: expressionStart + 5) + "^")
    }

    @Test func errorsAreEquatableValues() {
        let first = MatcherSyntaxError(expression: "x", column: 1, message: "m")
        #expect(first == MatcherSyntaxError(expression: "x", column: 1, message: "m"))
        #expect(first != MatcherSyntaxError(expression: "x", column: 2, message: "m"))
    }

    @Test func firstProblemFromTheLeftIsReported() throws {
        // The type error at column 13 comes before the lexical error at column 25.
        let error = try #require(throws: MatcherSyntaxError.self) { try MessageMatcher("Severity == 'x' && Type = 'y'") }
        #expect(error.column == 13)
    }
}
