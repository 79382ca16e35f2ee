/// A compiled Heka `message_matcher` expression (see docs/matcher.md).
///
/// Compiling parses, type-checks and compiles the regexes once; `matches` then only reads the
/// message. One value may be evaluated from many threads at once.
public struct MessageMatcher: Sendable {
    public let expression: String
    /// The compiled form, kept for inspection (tests); `evaluate` is what runs.
    let program: MatcherProgram
    private let evaluate: MessagePredicate

    public init(_ expression: String) throws(MatcherSyntaxError) {
        try self.init(expression, usesRegexShortcuts: true)
    }

    /// `usesRegexShortcuts: false` sends every regex to PCRE2; tests use it to check the shortcuts.
    init(_ expression: String, usesRegexShortcuts: Bool) throws(MatcherSyntaxError) {
        let syntax = try MatcherParser.parse(expression)
        let compiler = MatcherCompiler(expression: expression, usesRegexShortcuts: usesRegexShortcuts)
        self.expression = expression
        self.program = try compiler.compile(syntax)
        self.evaluate = program.makePredicate()
    }

    public func matches(_ message: Message) -> Bool {
        evaluate(message)
    }

    /// True for `TRUE` (or an expression that folded to it): callers may skip `matches`.
    var matchesEverything: Bool {
        if case .constant(true) = program { return true }
        return false
    }

    /// `TRUE`: every message.
    public static let matchAll = MessageMatcher(constant: true, expression: "TRUE")

    private init(constant: Bool, expression: String) {
        self.expression = expression
        self.program = .constant(constant)
        self.evaluate = program.makePredicate()
    }
}

extension MessageMatcher: CustomStringConvertible {
    public var description: String { expression }
}
