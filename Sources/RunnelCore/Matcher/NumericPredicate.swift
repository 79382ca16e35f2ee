/// A compiled relational test of a number against a numeric literal.
///
/// Heka converted every value to float64 before comparing, so a nanosecond timestamp lost its last
/// digits. Here an integer value is compared exactly: with the literal's exact integer when it has
/// one, otherwise against the literal's `Double` without rounding the integer.
struct NumericPredicate: Sendable {
    var op: MatcherOperator
    var literal: NumericLiteral

    func evaluate(_ value: Int64) -> Bool {
        switch literal.wholeNumber {
        case .exact(let exact): return holds(value < exact ? -1 : value > exact ? 1 : 0)
        case .beyondInt64(let negative): return holds(negative ? 1 : -1)
        case nil: break
        }
        guard let order = Self.order(value, literal.value) else { return op == .notEqual }
        return holds(order)
    }

    func evaluate(_ value: Double) -> Bool {
        let other = literal.value
        switch op {
        case .equal: return value == other
        case .notEqual: return value != other
        case .less: return value < other
        case .lessOrEqual: return value <= other
        case .greater: return value > other
        default: return value >= other
        }
    }

    @inline(__always)
    private func holds(_ order: Int) -> Bool {
        switch op {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        default: order >= 0
        }
    }

    /// -1, 0 or 1 as `value` is below, equal to or above `other`, exactly; nil when `other` is NaN.
    static func order(_ value: Int64, _ other: Double) -> Int? {
        if other.isNaN { return nil }
        // 2^63 is exactly representable; every Int64 is below it and at or above -2^63.
        if other >= 9_223_372_036_854_775_808.0 { return -1 }
        if other < -9_223_372_036_854_775_808.0 { return 1 }
        let floor = other.rounded(.down)
        let whole = Int64(floor)
        if value < whole { return -1 }
        if value > whole { return 1 }
        return other > floor ? -1 : 0
    }
}
