/// Turns a parsed expression into a `MatcherProgram`: resolves variables, compiles regexes (or
/// replaces them with byte comparisons) and folds `TRUE`/`FALSE` away.
struct MatcherCompiler {
    let expression: String
    /// Off only in tests that check the shortcuts give PCRE2's answers.
    var usesRegexShortcuts = true

    func compile(_ node: MatcherExpression) throws(MatcherSyntaxError) -> MatcherProgram {
        switch node {
        case .constant(let value):
            return .constant(value)
        case .comparison(let comparison):
            return .test(try compile(comparison))
        case .all(let parts):
            return Self.fold(try compileEach(parts), joining: true)
        case .any(let parts):
            return Self.fold(try compileEach(parts), joining: false)
        }
    }

    /// Every part is compiled (so a bad regex after `FALSE &&` is still reported) before folding.
    private func compileEach(_ parts: [MatcherExpression]) throws(MatcherSyntaxError) -> [MatcherProgram] {
        var compiled: [MatcherProgram] = []
        for part in parts { compiled.append(try compile(part)) }
        return compiled
    }

    /// `&&` (`all`) or `||` (`any`) over compiled parts: drops constants that cannot change the
    /// result, returns the constant that decides it, and merges nested chains of the same kind.
    private static func fold(_ parts: [MatcherProgram], joining isAll: Bool) -> MatcherProgram {
        var kept: [MatcherProgram] = []
        for part in parts {
            switch part {
            case .constant(let value) where value == isAll: continue
            case .constant: return .constant(!isAll)
            case .all(let inner) where isAll: kept += inner
            case .any(let inner) where !isAll: kept += inner
            default: kept.append(part)
            }
        }
        if kept.count == 1 { return kept[0] }
        if kept.isEmpty { return .constant(isAll) }
        return isAll ? .all(kept) : .any(kept)
    }

    private func compile(_ comparison: MatcherComparison) throws(MatcherSyntaxError) -> MatcherTest {
        switch comparison.subject {
        case .header(let variable):
            if let numeric = Self.numericHeader(variable) {
                guard case .number(let literal) = comparison.literal else { throw internalError(comparison) }
                return .number(numeric, NumericPredicate(op: comparison.op, literal: literal))
            }
            if variable == .uuid, comparison.op.isEquality, case .string(let text) = comparison.literal {
                let negated = comparison.op == .notEqual
                if text.isEmpty { return .uuidEquals(expected: nil, negated: negated) }
                if let uuid = Self.canonicalUUID(text) { return .uuidEquals(expected: uuid, negated: negated) }
            }
            return .text(Self.textHeader(variable), try bytePredicate(comparison))
        case .field(let reference):
            let selector = FieldSelector(name: reference.name, fieldIndex: reference.fieldIndex,
                                         arrayIndex: reference.arrayIndex)
            return .field(selector, try fieldPredicate(comparison))
        }
    }

    private func fieldPredicate(_ comparison: MatcherComparison) throws(MatcherSyntaxError) -> FieldPredicate {
        switch comparison.literal {
        case .string, .regex: return .bytes(try bytePredicate(comparison))
        case .number(let literal): return .number(NumericPredicate(op: comparison.op, literal: literal))
        case .boolean(let value): return .bool(value, negated: comparison.op == .notEqual)
        case .nilValue: return .present(comparison.op == .notEqual)
        }
    }

    private func bytePredicate(_ comparison: MatcherComparison) throws(MatcherSyntaxError) -> BytePredicate {
        switch (comparison.op, comparison.literal) {
        case (.equal, .string(let text)), (.notEqual, .string(let text)):
            return BytePredicate(test: .equal(text), negated: comparison.op == .notEqual)
        case (_, .string(let text)):
            return BytePredicate(test: .ordered(comparison.op, text), negated: false)
        case (_, .regex(let pattern)):
            return BytePredicate(test: try regexTest(pattern, at: comparison.literalOffset),
                                 negated: comparison.op == .notMatches)
        default:
            throw internalError(comparison)
        }
    }

    private func regexTest(_ pattern: [UInt8], at offset: Int) throws(MatcherSyntaxError) -> BytePredicate.Test {
        if usesRegexShortcuts, let shortcut = RegexLiteralShortcut.test(for: pattern) { return shortcut }
        do {
            return .regex(try PCRE2Regex(pattern: pattern))
        } catch {
            // Point at the regex literal; PCRE2's offset is within the pattern, which `\/` may have
            // shortened, so it is reported in the message rather than added to the column.
            throw MatcherSyntaxError(expression: expression, byteOffset: offset,
                                     message: "invalid regex: \(error.message) (at pattern offset \(error.patternOffset))")
        }
    }

    /// The parser admits only well-typed comparisons; reaching this is a bug in the parser.
    private func internalError(_ comparison: MatcherComparison) -> MatcherSyntaxError {
        MatcherSyntaxError(expression: expression, byteOffset: comparison.literalOffset,
                           message: "internal error: value does not fit the variable")
    }

    private static func numericHeader(_ variable: HeaderVariable) -> NumericHeader? {
        switch variable {
        case .timestamp: .timestamp
        case .severity: .severity
        case .pid: .pid
        default: nil
        }
    }

    private static func textHeader(_ variable: HeaderVariable) -> TextHeader {
        switch variable {
        case .uuid: .uuid
        case .type: .type
        case .logger: .logger
        case .payload: .payload
        case .envVersion: .envVersion
        default: .hostname
        }
    }

    /// The uuid a literal names when it is exactly the string form Heka compares against (36 bytes,
    /// lower-case hex, hyphens in place); any other literal can only be compared as text.
    private static func canonicalUUID(_ text: [UInt8]) -> MessageUUID? {
        guard text.count == 36, let uuid = MessageUUID(string: String(decoding: text, as: UTF8.self)),
              Array(uuid.string.utf8) == text else { return nil }
        return uuid
    }
}
