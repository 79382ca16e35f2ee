/// One lexical token of a `message_matcher` expression.
struct MatcherToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case leftParenthesis
        case rightParenthesis
        case and
        case or
        case comparison(MatcherOperator)
        /// A bare word: a header variable, `TRUE`, `FALSE`, `NIL`, or an unknown name.
        case word(String)
        case field(FieldReference)
        case string([UInt8])
        case number(NumericLiteral)
        case regex([UInt8])
        case end
    }

    var kind: Kind
    /// Byte offset of the token's first byte in the expression's UTF-8.
    var offset: Int
    /// The token as written, for messages.
    var text: String
}
