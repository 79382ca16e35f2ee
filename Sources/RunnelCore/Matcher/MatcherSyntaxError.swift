/// Why a `message_matcher` expression was refused, and where.
public struct MatcherSyntaxError: Error, CustomStringConvertible, Equatable {
    /// The whole expression as the user wrote it.
    public let expression: String
    /// 1-based position of the offending character, counted in characters from the start of the
    /// expression (a newline counts as one character, like any other).
    public let column: Int
    /// What is wrong, without the location.
    public let message: String

    public init(expression: String, column: Int, message: String) {
        self.expression = expression
        self.column = column
        self.message = message
    }

    /// Builds the error from a UTF-8 byte offset into the expression; the lexer and parser work on
    /// bytes, users count characters.
    init(expression: String, byteOffset: Int, message: String) {
        let utf8 = Array(expression.utf8)
        let clamped = max(0, min(byteOffset, utf8.count))
        let prefix = String(decoding: utf8[..<clamped], as: UTF8.self)
        self.init(expression: expression, column: prefix.count + 1, message: message)
    }

    /// One line naming the problem and the column, then the expression with a caret under the
    /// column (control characters shown as spaces so the caret lines up).
    public var description: String {
        let lead = "message_matcher: \(message) at column \(column): "
        let shown = String(expression.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        let caret = String(repeating: " ", count: lead.count + max(0, column - 1)) + "^"
        return lead + shown + "\n" + caret
    }
}
