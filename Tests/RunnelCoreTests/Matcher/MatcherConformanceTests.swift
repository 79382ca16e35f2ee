import Foundation
import Testing
@testable import RunnelCore

/// Heka's own matcher test suite (../shared/heka-conformance/matcher_cases.json), run in full.
@Suite struct MatcherConformanceTests {
    struct Cases: Decodable {
        let mustFail: [String]
        let falseCases: [String]
        let trueCases: [String]
        let sandboxTrue: [String]

        enum CodingKeys: String, CodingKey {
            case mustFail = "must_fail", falseCases = "false", trueCases = "true", sandboxTrue = "sandbox_true"
        }
    }

    static func load() throws -> Cases {
        let file = try MatcherSharedData.conformanceDirectory().appendingPathComponent("matcher_cases.json")
        return try JSONDecoder().decode(Cases.self, from: Data(contentsOf: file))
    }

    @Test func sectionsHaveHekasCaseCounts() throws {
        let cases = try Self.load()
        #expect(cases.mustFail.count == 24)
        #expect(cases.falseCases.count == 34)
        #expect(cases.trueCases.count == 50)
        #expect(cases.sandboxTrue.count == 7)
    }

    @Test func sectionAExpressionsAreRejected() throws {
        for expression in try Self.load().mustFail {
            MatcherCase(expression, .rejected).check()
        }
    }

    @Test func sectionBExpressionsAreFalse() throws {
        for expression in try Self.load().falseCases {
            MatcherCase(expression, .doesNotMatch).check()
        }
    }

    @Test func sectionCExpressionsAreTrue() throws {
        let uuid = MatcherTestMessages.heka.uuid?.string ?? ""
        for expression in try Self.load().trueCases {
            let substituted = expression.replacingOccurrences(of: "<uuid string of the message>", with: uuid)
            MatcherCase(substituted, .matches).check()
        }
    }

    @Test func sectionDExpressionsAreTrueOnTheSandboxMessage() throws {
        for expression in try Self.load().sandboxTrue {
            MatcherCase(expression, .matches, on: MatcherTestMessages.sandbox).check()
        }
    }

    /// Section E of matcher_cases.md: edge cases read from Heka's parser. Rows Runnel agrees with.
    @Test(arguments: [
        MatcherCase("Fields[string] != 43", .doesNotMatch),
        MatcherCase("Fields[int] != 'x'", .doesNotMatch),
        MatcherCase("Fields[missing] != 'x'", .doesNotMatch),
        MatcherCase("Fields[bool] == 'x'", .doesNotMatch),
        MatcherCase("Fields[bool] > 5", .doesNotMatch),
        MatcherCase("Fields[foo] == TRUE", .doesNotMatch),
        MatcherCase("Fields[foo] != NIL", .matches),
        MatcherCase("Fields[Timestamp] =~ /2006$/", .matches),
        MatcherCase("Severity == 6.0", .matches),
        MatcherCase("Severity > 5.5", .matches),
        MatcherCase("Timestamp > 1e9", .matches),
        MatcherCase("TRUE && Bogus == 1", .rejected),
        MatcherCase("Fields [foo] == 'bar'", .rejected),
        MatcherCase("Fields[foo]=='bar'", .matches),
        MatcherCase("Type == 'te\\'st'", .doesNotMatch),
        MatcherCase("Payload =~ /Test\\/?/", .matches),
    ])
    func sectionEAgreed(_ testCase: MatcherCase) {
        testCase.check()
    }

    /// Section E rows where Heka's behaviour was a quirk; Runnel's deliberate answer (docs/matcher.md,
    /// "Deviations from Heka").
    @Test(arguments: [
        MatcherCase("Fields[bool] != TRUE", .doesNotMatch),          // Heka: parse error
        MatcherCase("Fields[bool] != FALSE", .matches),              // Heka: parse error
        MatcherCase("Severity == -6", .doesNotMatch),                // Heka: parse error (no minus)
        MatcherCase("Severity > -6", .matches),
        MatcherCase("TRUE FALSE", .rejected),                        // Heka: parses, evaluates FALSE
        MatcherCase("TRUE Bogus", .rejected),                        // Heka: parses, trailing word ignored
        MatcherCase("Type == 'TEST'\n&& FALSE", .doesNotMatch),      // Heka: the newline ended it (true)
    ])
    func sectionEDeviations(_ testCase: MatcherCase) {
        testCase.check()
    }

    /// Where the results differ from Heka's for the bool rows above (Heka ignored the operator and
    /// read any non-TRUE literal as FALSE; its string field compared with the text "TRUE").
    @Test(arguments: [
        MatcherCase("Fields[off] == 'x'", .doesNotMatch, on: MatcherTestMessages.awkward),   // Heka: true
        MatcherCase("Fields[off] > 5", .doesNotMatch, on: MatcherTestMessages.awkward),      // Heka: true
        MatcherCase("Fields[TRUE] == TRUE", .doesNotMatch, on: MatcherTestMessages.awkward), // Heka: true
        MatcherCase("Fields[TRUE] == 'TRUE'", .matches, on: MatcherTestMessages.awkward),
    ])
    func boolTypingIsStrict(_ testCase: MatcherCase) {
        testCase.check()
    }
}
