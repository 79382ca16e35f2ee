/// Recursive-descent parser for `message_matcher` expressions:
///
///     expression  := conjunction ('||' conjunction)*
///     conjunction := primary ('&&' primary)*
///     primary     := '(' expression ')' | TRUE | FALSE | subject operator literal
///
/// Tokens are read on demand, so the first problem from the left is the one reported. Type rules
/// (which literal may follow which variable and operator) are checked here, where the columns are.
struct MatcherParser {
    /// Deep enough for any hand-written expression, shallow enough that a hostile one cannot
    /// exhaust the stack of the parser or of the evaluator.
    static let maximumNesting = 64

    private let expression: String
    private var lexer: MatcherLexer
    private var current: MatcherToken

    static func parse(_ expression: String) throws(MatcherSyntaxError) -> MatcherExpression {
        var parser = try MatcherParser(expression)
        if parser.current.kind == .end {
            throw parser.error(at: parser.current, "empty expression (write TRUE to match every message)")
        }
        let result = try parser.parseChain(joinedBy: .or, depth: 0)
        switch parser.current.kind {
        case .end:
            return result
        case .rightParenthesis:
            throw parser.error(at: parser.current, "unmatched ')'")
        default:
            throw parser.error(at: parser.current, "expected '&&' or '||' before \(parser.quoted(parser.current))")
        }
    }

    private init(_ expression: String) throws(MatcherSyntaxError) {
        self.expression = expression
        self.lexer = MatcherLexer(expression)
        self.current = try lexer.next()
    }

    private mutating func advance() throws(MatcherSyntaxError) {
        current = try lexer.next()
    }

    // MARK: - Logical structure

    /// `||` of conjunctions, or (with `.and`) `&&` of primaries.
    private mutating func parseChain(joinedBy separator: MatcherToken.Kind, depth: Int) throws(MatcherSyntaxError) -> MatcherExpression {
        var terms: [MatcherExpression] = []
        repeat {
            if !terms.isEmpty { try advance() }
            terms.append(separator == .or
                ? try parseChain(joinedBy: .and, depth: depth)
                : try parsePrimary(depth: depth))
        } while current.kind == separator
        if terms.count == 1 { return terms[0] }
        return separator == .or ? .any(terms) : .all(terms)
    }

    private mutating func parsePrimary(depth: Int) throws(MatcherSyntaxError) -> MatcherExpression {
        let token = current
        switch token.kind {
        case .leftParenthesis:
            guard depth < Self.maximumNesting else {
                throw error(at: token, "parentheses nested more than \(Self.maximumNesting) deep")
            }
            try advance()
            let inner = try parseChain(joinedBy: .or, depth: depth + 1)
            guard current.kind == .rightParenthesis else {
                let column = MatcherSyntaxError(expression: expression, byteOffset: token.offset, message: "").column
                throw error(at: current, "expected ')' to close the '(' at column \(column), found \(quoted(current))")
            }
            try advance()
            return inner
        case .word(let word):
            try advance()
            switch word {
            case "TRUE": return .constant(true)
            case "FALSE": return .constant(false)
            case "NIL": throw error(at: token, "NIL is not a condition; compare a field with it: Fields[name] == NIL")
            default:
                guard let variable = HeaderVariable(rawValue: word) else { throw unknownWord(token, word) }
                return try parseComparison(subject: .header(variable), subjectToken: token)
            }
        case .field(let reference):
            try advance()
            return try parseComparison(subject: .field(reference), subjectToken: token)
        case .end:
            throw error(at: token, "expected a condition, found the end of the expression")
        case .string, .number, .regex:
            throw error(at: token, "expected a variable before the value \(quoted(token)) (write it as Type == 'value')")
        case .rightParenthesis, .and, .or, .comparison:
            throw error(at: token, "expected a condition before \(quoted(token))")
        }
    }

    // MARK: - Comparisons

    private mutating func parseComparison(subject: MatcherSubject, subjectToken: MatcherToken) throws(MatcherSyntaxError) -> MatcherExpression {
        guard case .comparison(let op) = current.kind else {
            throw error(at: current, "expected an operator after \(quoted(subjectToken)), found \(quoted(current))")
        }
        let operatorToken = current
        try advance()
        let literalToken = current
        let literal: MatcherLiteral
        switch literalToken.kind {
        case .string(let bytes): literal = .string(bytes)
        case .number(let number): literal = .number(number)
        case .regex(let pattern): literal = .regex(pattern)
        case .word("TRUE"): literal = .boolean(true)
        case .word("FALSE"): literal = .boolean(false)
        case .word("NIL"): literal = .nilValue
        case .word(let word):
            let hint = HeaderVariable(rawValue: word) != nil
                ? "comparing two variables is not supported"
                : "strings need quotes: '\(word)'"
            throw error(at: literalToken, "expected a value after '\(op.spelling)', found '\(word)' (\(hint))")
        case .field:
            throw error(at: literalToken, "expected a value after '\(op.spelling)' (comparing two variables is not supported)")
        default:
            throw error(at: literalToken, "expected a value after '\(op.spelling)', found \(quoted(literalToken))")
        }
        try checkTypes(subject: subject, subjectToken: subjectToken, op: op, operatorToken: operatorToken,
                       literal: literal, literalToken: literalToken)
        try advance()
        return .comparison(MatcherComparison(subject: subject, op: op, literal: literal, literalOffset: literalToken.offset))
    }

    /// Heka's grammar: string headers take strings (and regexes with `=~`/`!~`), numeric headers
    /// take numbers, fields take anything but only `==`/`!=` with `NIL` and the booleans.
    private func checkTypes(subject: MatcherSubject, subjectToken: MatcherToken, op: MatcherOperator,
                            operatorToken: MatcherToken, literal: MatcherLiteral,
                            literalToken: MatcherToken) throws(MatcherSyntaxError) {
        let name = quoted(subjectToken)
        if op.isRegex {
            if case .header(let variable) = subject, variable.isNumeric {
                throw error(at: operatorToken, "\(name) is numeric; '\(op.spelling)' matches strings only")
            }
            guard case .regex = literal else {
                throw error(at: literalToken, "'\(op.spelling)' needs a /regex/, found \(quoted(literalToken))")
            }
            return
        }
        switch (subject, literal) {
        case (_, .regex):
            throw error(at: literalToken, "a /regex/ needs '=~' or '!~', not '\(op.spelling)'")
        case (.header, .nilValue):
            throw error(at: literalToken, "\(name) always has a value; NIL can only be compared with Fields[...]")
        case (.header(let variable), .string) where variable.isNumeric,
             (.header(let variable), .boolean) where variable.isNumeric:
            throw error(at: literalToken, "\(name) is numeric; compare it with a number, not \(quoted(literalToken))")
        case (.header(let variable), .number) where !variable.isNumeric,
             (.header(let variable), .boolean) where !variable.isNumeric:
            throw error(at: literalToken, "\(name) is a string; compare it with a quoted string, not \(quoted(literalToken))")
        case (.field, .nilValue) where !op.isEquality:
            throw error(at: operatorToken, "NIL can only be compared with '==' or '!=', not '\(op.spelling)'")
        case (.field, .boolean) where !op.isEquality:
            throw error(at: operatorToken, "TRUE and FALSE can only be compared with '==' or '!=', not '\(op.spelling)'")
        default:
            return
        }
    }

    // MARK: - Errors

    private func unknownWord(_ token: MatcherToken, _ word: String) -> MatcherSyntaxError {
        let known = HeaderVariable.allCases.map(\.rawValue) + ["Fields", "TRUE", "FALSE", "NIL"]
        if let suggestion = known.first(where: { $0.lowercased() == word.lowercased() }) {
            return error(at: token, "unknown variable '\(word)'; did you mean '\(suggestion)'?")
        }
        return error(at: token, "unknown variable '\(word)' (known: \(known.joined(separator: ", ")))")
    }

    /// The token as it appears in messages: strings and regexes carry their own delimiters.
    private func quoted(_ token: MatcherToken) -> String {
        switch token.kind {
        case .end: "the end of the expression"
        case .string, .regex: token.text
        default: "'\(token.text)'"
        }
    }

    private func error(at token: MatcherToken, _ message: String) -> MatcherSyntaxError {
        MatcherSyntaxError(expression: expression, byteOffset: token.offset, message: message)
    }
}
