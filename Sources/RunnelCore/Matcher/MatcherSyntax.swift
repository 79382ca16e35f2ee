/// The parsed form of a `message_matcher` expression, before compilation.

/// A comparison operator as written.
enum MatcherOperator: Sendable, Equatable {
    case equal, notEqual, greater, greaterOrEqual, less, lessOrEqual
    case matches, notMatches

    var spelling: String {
        switch self {
        case .equal: "=="
        case .notEqual: "!="
        case .greater: ">"
        case .greaterOrEqual: ">="
        case .less: "<"
        case .lessOrEqual: "<="
        case .matches: "=~"
        case .notMatches: "!~"
        }
    }

    var isRegex: Bool { self == .matches || self == .notMatches }
    var isEquality: Bool { self == .equal || self == .notEqual }
}

/// A header variable of the message (Heka's names).
enum HeaderVariable: String, Sendable, CaseIterable {
    case uuid = "Uuid"
    case type = "Type"
    case logger = "Logger"
    case payload = "Payload"
    case envVersion = "EnvVersion"
    case hostname = "Hostname"
    case timestamp = "Timestamp"
    case severity = "Severity"
    case pid = "Pid"

    var isNumeric: Bool { self == .timestamp || self == .severity || self == .pid }
}

/// `Fields[name][fieldIndex][arrayIndex]`: the `fieldIndex`-th field called `name` and the
/// `arrayIndex`-th value in it (both 0 when not written).
struct FieldReference: Sendable, Equatable {
    var name: [UInt8]
    var fieldIndex: Int
    var arrayIndex: Int
}

/// A number literal: always its `Double` value (Heka compares as float64) and, when the text was a
/// plain integer, that integer exactly, so 19-digit timestamps compare without rounding.
struct NumericLiteral: Sendable, Equatable {
    enum WholeNumber: Sendable, Equatable {
        case exact(Int64)
        /// Written as an integer beyond Int64: above (or below) every integer value.
        case beyondInt64(negative: Bool)
    }

    var value: Double
    /// Nil when the literal has a fraction or an exponent.
    var wholeNumber: WholeNumber?
}

enum MatcherLiteral: Sendable, Equatable {
    case string([UInt8])
    case number(NumericLiteral)
    /// The pattern with `\/` already turned into `/`.
    case regex([UInt8])
    case boolean(Bool)
    case nilValue
}

enum MatcherSubject: Sendable, Equatable {
    case header(HeaderVariable)
    case field(FieldReference)
}

struct MatcherComparison: Sendable, Equatable {
    var subject: MatcherSubject
    var op: MatcherOperator
    var literal: MatcherLiteral
    /// Byte offset of the literal, for errors found while compiling it (a bad regex).
    var literalOffset: Int
}

indirect enum MatcherExpression: Sendable, Equatable {
    case constant(Bool)
    case comparison(MatcherComparison)
    case all([MatcherExpression])
    case any([MatcherExpression])
}
