import Testing
@testable import RunnelCore

/// The literal shortcuts and PCRE2 give the same answers; the shortcuts are taken where they should be.
@Suite struct MatcherRegexTests {
    @Test func shortcutClassification() throws {
        func kind(_ pattern: String) -> String {
            switch RegexLiteralShortcut.test(for: Array(pattern.utf8)) {
            case .equal(let l)?: "equal:" + String(decoding: l, as: UTF8.self)
            case .prefix(let l)?: "prefix:" + String(decoding: l, as: UTF8.self)
            case .suffix(let l)?: "suffix:" + String(decoding: l, as: UTF8.self)
            case .contains(let l)?: "contains:" + String(decoding: l, as: UTF8.self)
            default: "pcre2"
            }
        }
        #expect(kind("^abc") == "prefix:abc")
        #expect(kind("abc$") == "suffix:abc")
        #expect(kind("^abc$") == "equal:abc")
        #expect(kind("abc") == "contains:abc")
        #expect(kind("") == "contains:")
        #expect(kind("^web-1\\.api") == "prefix:web-1.api")
        #expect(kind("\\$$") == "suffix:$")
        #expect(kind("a\\$") == "contains:a$")
        #expect(kind("résumé") == "contains:résumé")
        #expect(kind("a.c") == "pcre2")
        #expect(kind("a\\d") == "pcre2")
        #expect(kind("^a|b") == "pcre2")
        #expect(kind("a^b") == "pcre2")
        #expect(kind("a$b") == "pcre2")
        #expect(kind("ab+") == "pcre2")
        #expect(kind("(?i)ab") == "pcre2")
        #expect(kind("\\Qa.b\\E") == "pcre2")
        #expect(kind("a\\") == "pcre2")
    }

    /// Random literal-ish patterns against random subjects (invalid UTF-8, NUL and newlines
    /// included): the shortcut answer equals PCRE2's for `=~` and `!~`.
    @Test func shortcutsAgreeWithPCRE2() throws {
        var random = SeededGenerator(seed: 0x5EED_0003)
        let chunks = ["a", "b", "ab", "é", "\\.", "\\\\", "\\$", "\\/", "x y", "\u{0}", "-", "日"]
        let subjectPieces: [[UInt8]] = [[0x61], [0x62], [0xC3, 0xA9], [0x2E], [0x5C], [0x24], [0x2F], [0xFF],
                                        [0xC3], [0x00], [0x0A], [0x78, 0x20, 0x79], [0xE6, 0x97, 0xA5], [0x2D]]
        var shortcutsTaken = 0
        var matchesSeen = 0
        for _ in 0..<3_000 {
            var pattern = Bool.random(using: &random) ? "^" : ""
            for _ in 0..<Int.random(in: 0...3, using: &random) { pattern += chunks.randomElement(using: &random)! }
            if Bool.random(using: &random) { pattern += "$" }
            let op = Bool.random(using: &random) ? "=~" : "!~"
            let expression = "Payload \(op) /\(pattern)/"
            let fast = try MessageMatcher(expression)
            let pcre2 = try MessageMatcher(expression, usesRegexShortcuts: false)
            if RegexLiteralShortcut.test(for: Array(pattern.replacingOccurrences(of: "\\/", with: "/").utf8)) != nil {
                shortcutsTaken += 1
            }
            for _ in 0..<8 {
                var subject: [UInt8] = []
                for _ in 0..<Int.random(in: 0...6, using: &random) {
                    subject += subjectPieces.randomElement(using: &random)!
                }
                let message = Message(payload: ByteString(subject))
                let answer = pcre2.matches(message)
                if answer == (op == "=~") { matchesSeen += 1 }
                #expect(fast.matches(message) == answer, "\(expression) on \(subject)")
            }
        }
        #expect(shortcutsTaken > 2_000)
        #expect(matchesSeen > 1_000)
    }

    @Test func pcre2RejectsWhatRE2Rejects() {
        for pattern in ["\\y", "\\q", "(", "[a-", "a{2,1}", "(?<n>a)(?<n>b)", "\\k", "*a"] {
            #expect(throws: MatcherSyntaxError.self, "\(pattern)") { try MessageMatcher("Type =~ /\(pattern)/") }
        }
    }

    @Test func dollarMatchesOnlyAtTheVeryEnd() throws {
        // RE2's `$`; PCRE2's default would also match before a final newline.
        let matcher = try MessageMatcher("Payload =~ /lo+$/", usesRegexShortcuts: false)
        #expect(matcher.matches(Message(payload: "hello")))
        #expect(!matcher.matches(Message(payload: "hello\n")))
        let shortcut = try MessageMatcher("Payload =~ /lo$/")
        #expect(!shortcut.matches(Message(payload: "hello\n")))
    }

    @Test func largePayloadIsMatched() throws {
        var payload = [UInt8](repeating: UInt8(ascii: "x"), count: 5 << 20)
        payload.replaceSubrange(payload.count - 6..<payload.count, with: Array("ERROR!".utf8))
        let message = Message(payload: ByteString(payload))
        #expect(try MessageMatcher("Payload =~ /ERR(OR|XX)!$/").matches(message))
        #expect(try MessageMatcher("Payload =~ /ERROR!/").matches(message))
        #expect(try !MessageMatcher("Payload =~ /WARN/").matches(message))
    }

    @Test func longSubjectBeyondTheJITStackStillMatches() throws {
        // PCRE2's default JIT stack (32 KiB) runs out here; the retry on a larger stack must answer.
        let message = Message(payload: ByteString(String(repeating: "ab", count: 500_000)))
        #expect(try MessageMatcher("Payload =~ /^(a|b)*$/").matches(message))
        #expect(try !MessageMatcher("Payload !~ /^(?:a|b)*$/").matches(message))
    }

    @Test func pathologicalPatternFinishes() throws {
        // Catastrophic backtracking stops at PCRE2's match limit and counts as no match.
        let matcher = try MessageMatcher("Payload =~ /^(a+)+$/")
        let message = Message(payload: ByteString(String(repeating: "a", count: 40) + "b"))
        #expect(!matcher.matches(message))
    }
}
