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

    func evaluate(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let result: Bool
        switch test {
        case .equal(let literal):
            result = ByteComparison.equal(value, literal)
        case .ordered(let op, let literal):
            let order = ByteComparison.order(value, literal)
            switch op {
            case .less: result = order < 0
            case .lessOrEqual: result = order <= 0
            case .greater: result = order > 0
            default: result = order >= 0
            }
        case .prefix(let literal):
            result = ByteComparison.hasPrefix(value, literal)
        case .suffix(let literal):
            result = ByteComparison.hasSuffix(value, literal)
        case .contains(let literal):
            result = ByteComparison.contains(value, literal)
        case .regex(let regex):
            result = regex.matches(value)
        }
        return result != negated
    }
}
