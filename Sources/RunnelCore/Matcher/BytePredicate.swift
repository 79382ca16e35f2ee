/// A compiled test on a string or bytes value, evaluated on raw bytes.
struct BytePredicate: Sendable {
    enum Test: Sendable {
        case equal([UInt8])
        /// `<`, `<=`, `>`, `>=`: bytewise, as Go orders strings.
        case ordered(MatcherOperator, [UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        case regex(PCRE2Regex)
    }

    var test: Test
    /// `!=` and `!~` invert the test.
    var negated: Bool

    /// The test as a closure specialised for its kind (see MatcherEvaluator for why closures).
    func makePredicate() -> BytesPredicate {
        let negated = self.negated
        switch test {
        case .equal(let literal):
            return { ByteComparison.equal($0, literal) != negated }
        case .ordered(let op, let literal):
            switch op {
            case .less: return { ByteComparison.order($0, literal) < 0 }
            case .lessOrEqual: return { ByteComparison.order($0, literal) <= 0 }
            case .greater: return { ByteComparison.order($0, literal) > 0 }
            default: return { ByteComparison.order($0, literal) >= 0 }
            }
        case .prefix(let literal):
            return { ByteComparison.hasPrefix($0, literal) != negated }
        case .suffix(let literal):
            return { ByteComparison.hasSuffix($0, literal) != negated }
        case .contains(let literal):
            return { ByteComparison.contains($0, literal) != negated }
        case .regex(let regex):
            return { regex.matches($0) != negated }
        }
    }
}
