import Testing
@testable import RunnelCore

/// Random input never crashes the parser, a refused input names a column inside it, and whatever
/// parses evaluates without crashing.
@Suite struct MatcherFuzzTests {
    static let messages = [MatcherTestMessages.heka, MatcherTestMessages.unset,
                           MatcherTestMessages.awkward, MatcherTestMessages.sandbox]

    static let grammarBytes = Array("()[]=!<>~&|'\"/\\.-+eE0123456789 \t\nTFNILRUEASFieldsTypeSeverityPid^$*?{}".utf8)

    static let vocabulary = [
        "Type", "Logger", "Payload", "EnvVersion", "Hostname", "Uuid", "Timestamp", "Severity", "Pid",
        "Fields[foo]", "Fields[int][0][1]", "Fields[bool]", "Fields[missing]", "Fields[foo][1]", "Fields[",
        "][", "]", "[", "==", "!=", ">", ">=", "<", "<=", "=~", "!~", "&&", "||", "(", ")", "TRUE", "FALSE",
        "NIL", "'TEST'", "\"x\"", "'", "\"", "/^TE/", "/T.S/", "/(/", "/ST$/", "/[a-z]+/", "/", "6", "-1",
        "1e9", "99.9", ".5", "\\", "\n", " ", "=", "!", "&", "|", "é", "\u{0}",
    ]

    struct Tally { var parsed = 0; var rejected = 0 }

    /// Parses `expression`; on success evaluates it on every test message, on failure checks the
    /// error's column lies within the expression (or just past its end).
    static func exercise(_ expression: String, _ tally: inout Tally) {
        do {
            let matcher = try MessageMatcher(expression)
            for message in messages { _ = matcher.matches(message) }
            tally.parsed += 1
        } catch {
            #expect((1...expression.count + 1).contains(error.column), "\(error)")
            #expect(!error.message.isEmpty)
            tally.rejected += 1
        }
    }

    @Test func randomByteStrings() {
        var random = SeededGenerator(seed: 0x5EED_0001)
        var tally = Tally()
        for _ in 0..<25_000 {
            let length = Int.random(in: 0...48, using: &random)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                bytes.append(Bool.random(using: &random)
                    ? Self.grammarBytes.randomElement(using: &random)!
                    : UInt8.random(in: 0...255, using: &random))
            }
            Self.exercise(String(decoding: bytes, as: UTF8.self), &tally)
        }
        #expect(tally.rejected > 20_000)
        #expect(tally.parsed + tally.rejected == 25_000)
    }

    @Test func tokenSoupsAndMutationsOfValidExpressions() throws {
        var random = SeededGenerator(seed: 0x5EED_0002)
        var tally = Tally()
        let seeds = try MatcherConformanceTests.load().trueCases + MatcherConformanceTests.load().falseCases
        for round in 0..<25_000 {
            let expression: String
            if round % 3 == 0 {
                let count = Int.random(in: 1...12, using: &random)
                expression = (0..<count).map { _ in Self.vocabulary.randomElement(using: &random)! }
                    .joined(separator: Bool.random(using: &random) ? " " : "")
            } else {
                expression = Self.mutate(seeds.randomElement(using: &random)!, using: &random)
            }
            Self.exercise(expression, &tally)
        }
        // Both directions must be exercised for the test to mean anything.
        #expect(tally.parsed > 1_000)
        #expect(tally.rejected > 5_000)
    }

    private static func mutate(_ seed: String, using random: inout SeededGenerator) -> String {
        var characters = Array(seed)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = Int.random(in: 0...characters.count, using: &random)
            let token = Array(vocabulary.randomElement(using: &random)!)
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !characters.isEmpty:
                let end = min(characters.count, position + Int.random(in: 1...4, using: &random))
                characters.removeSubrange(min(position, end)..<end)
            case 1:
                characters.insert(contentsOf: token, at: position)
            case 2:
                let end = min(characters.count, position + Int.random(in: 0...6, using: &random))
                characters.replaceSubrange(position..<end, with: token)
            case 3:
                let end = min(characters.count, position + Int.random(in: 0...8, using: &random))
                characters.insert(contentsOf: characters[position..<end], at: end)
            default:
                characters = Array(characters[position...] + " && " + characters[..<position])
            }
        }
        return String(characters)
    }
}
