import Testing
@testable import RunnelCore

@Suite struct MessageMatcherAPITests {
    @Test func matchAllMatchesEverything() {
        #expect(MessageMatcher.matchAll.expression == "TRUE")
        #expect(MessageMatcher.matchAll.matches(MatcherTestMessages.unset))
        #expect(MessageMatcher.matchAll.matches(MatcherTestMessages.heka))
    }

    @Test func keepsTheExpressionAsWritten() throws {
        let matcher = try MessageMatcher("  Type == 'TEST'\n")
        #expect(matcher.expression == "  Type == 'TEST'\n")
        #expect(matcher.description == matcher.expression)
    }

    @Test func constantsAreFoldedAndShortCircuitHolds() throws {
        // FALSE && <anything> never looks at the message; the fold keeps it well-typed all the same.
        #expect(try !MessageMatcher("FALSE && Fields[x] =~ /a+/").matches(MatcherTestMessages.heka))
        #expect(try MessageMatcher("TRUE || Payload =~ /a+/").matches(MatcherTestMessages.unset))
        #expect(throws: MatcherSyntaxError.self) { try MessageMatcher("FALSE && Type =~ /(/") }
    }

    @Test func foldingLeavesOnlyWhatDecides() throws {
        func shape(_ expression: String) throws -> String {
            switch try MessageMatcher(expression).program {
            case .constant(let value): "constant \(value)"
            case .test: "test"
            case .all(let parts): "all \(parts.count)"
            case .any(let parts): "any \(parts.count)"
            }
        }
        #expect(try shape("TRUE && Type == 'x'") == "test")
        #expect(try shape("FALSE && Type == 'x'") == "constant false")
        #expect(try shape("Type == 'x' || TRUE") == "constant true")
        #expect(try shape("FALSE || Type == 'x' || FALSE") == "test")
        #expect(try shape("(Type == 'x' && Pid == 1) && (Severity == 2 && TRUE)") == "all 3")
        #expect(try shape("Type == 'x' || (Pid == 1 || Severity == 2)") == "any 3")
        #expect(try shape("Type == 'x' || Pid == 1 && Severity == 2") == "any 2")
        #expect(try shape("(TRUE)") == "constant true")
    }
}
