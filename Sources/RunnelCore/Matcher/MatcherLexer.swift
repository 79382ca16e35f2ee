/// Splits a `message_matcher` expression into tokens.
///
/// Works on the expression's UTF-8 bytes. Unlike Heka's lexer, a newline is ordinary whitespace
/// (Heka ended the expression there) and anything it cannot read is an error rather than an early end.
struct MatcherLexer {
    private let expression: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ expression: String) {
        self.expression = expression
        self.bytes = Array(expression.utf8)
    }

    /// Every token of the expression, ending with `.end`.
    static func tokens(of expression: String) throws(MatcherSyntaxError) -> [MatcherToken] {
        var lexer = MatcherLexer(expression)
        var tokens: [MatcherToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    mutating func next() throws(MatcherSyntaxError) -> MatcherToken {
        skipWhitespace()
        let start = position
        guard let byte = peek() else { return MatcherToken(kind: .end, offset: start, text: "end of expression") }
        switch byte {
        case UInt8(ascii: "("):
            position += 1
            return token(.leftParenthesis, from: start)
        case UInt8(ascii: ")"):
            position += 1
            return token(.rightParenthesis, from: start)
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return try lexOperator(from: start)
        case UInt8(ascii: "&"), UInt8(ascii: "|"):
            return try lexLogical(byte, from: start)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return try lexString(quote: byte, from: start)
        case UInt8(ascii: "/"):
            return try lexRegex(from: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
            return try lexNumber(from: start)
        default:
            if Self.isWordStart(byte) { return try lexWord(from: start) }
            throw error(at: start, "unexpected character \(describe(at: start))")
        }
    }

    // MARK: - Operators

    private mutating func lexOperator(from start: Int) throws(MatcherSyntaxError) -> MatcherToken {
        let first = bytes[start]
        let second = peek(offset: 1)
        let op: MatcherOperator
        var length = 2
        switch (first, second) {
        case (UInt8(ascii: "="), UInt8(ascii: "=")): op = .equal
        case (UInt8(ascii: "="), UInt8(ascii: "~")): op = .matches
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): op = .notEqual
        case (UInt8(ascii: "!"), UInt8(ascii: "~")): op = .notMatches
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): op = .greaterOrEqual
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): op = .lessOrEqual
        case (UInt8(ascii: ">"), _): op = .greater; length = 1
        case (UInt8(ascii: "<"), _): op = .less; length = 1
        case (UInt8(ascii: "="), _):
            throw error(at: start, "'=' is not an operator; use '==' to compare or '=~' to match a regex")
        default:
            throw error(at: start, "'!' is not an operator; use '!=' or '!~' (there is no negation operator)")
        }
        position += length
        return token(.comparison(op), from: start)
    }

    private mutating func lexLogical(_ byte: UInt8, from start: Int) throws(MatcherSyntaxError) -> MatcherToken {
        guard peek(offset: 1) == byte else {
            let doubled = byte == UInt8(ascii: "&") ? "&&" : "||"
            throw error(at: start, "'\(Character(Unicode.Scalar(byte)))' is not an operator; use '\(doubled)'")
        }
        position += 2
        return token(byte == UInt8(ascii: "&") ? .and : .or, from: start)
    }

    // MARK: - Literals

    /// `'…'` or `"…"`. `\'`, `\"` and `\\` stand for the character after the backslash; any other
    /// backslash is kept as written (as Heka kept it), so `'\d'` is the two characters `\d`.
    private mutating func lexString(quote: UInt8, from start: Int) throws(MatcherSyntaxError) -> MatcherToken {
        position += 1
        var value: [UInt8] = []
        while let byte = peek() {
            position += 1
            if byte == quote { return token(.string(value), from: start) }
            if byte == UInt8(ascii: "\\"), let escaped = peek() {
                position += 1
                if escaped == UInt8(ascii: "'") || escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") {
                    value.append(escaped)
                } else {
                    value.append(byte)
                    value.append(escaped)
                }
                continue
            }
            value.append(byte)
        }
        let quoteCharacter = Character(Unicode.Scalar(quote))
        throw error(at: start, "unterminated string: the \(quoteCharacter) opened here is never closed")
    }

    /// `/…/`. `\/` stands for `/`; every other escape is passed to PCRE2 as written.
    private mutating func lexRegex(from start: Int) throws(MatcherSyntaxError) -> MatcherToken {
        position += 1
        var pattern: [UInt8] = []
        while let byte = peek() {
            position += 1
            if byte == UInt8(ascii: "/") { return token(.regex(pattern), from: start) }
            if byte == UInt8(ascii: "\\"), let escaped = peek() {
                position += 1
                if escaped != UInt8(ascii: "/") { pattern.append(byte) }
                pattern.append(escaped)
                continue
            }
            pattern.append(byte)
        }
        throw error(at: start, "unterminated regex: the / opened here is never closed")
    }

    /// `[-]digits[.digits][(e|E)[+|-]digits]`, or with the integer part left out (`.5`). A number
    /// running straight into letters, dots or signs is refused whole (Heka read it as 0).
    private mutating func lexNumber(from start: Int) throws(MatcherSyntaxError) -> MatcherToken {
        var cursor = start
        if bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
        let integerDigits = countDigits(from: cursor)
        cursor += integerDigits
        var fractionDigits = 0
        var isInteger = true
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
            isInteger = false
            cursor += 1
            fractionDigits = countDigits(from: cursor)
            cursor += fractionDigits
        }
        var wellFormed = integerDigits + fractionDigits > 0
        if wellFormed, cursor < bytes.count, bytes[cursor] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            cursor += 1
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-") {
                cursor += 1
            }
            let exponentDigits = countDigits(from: cursor)
            cursor += exponentDigits
            wellFormed = exponentDigits > 0
        }
        if !wellFormed || (cursor < bytes.count && Self.continuesNumber(bytes[cursor])) {
            var end = cursor
            while end < bytes.count, Self.continuesNumber(bytes[end]) { end += 1 }
            let text = String(decoding: bytes[start..<max(end, start + 1)], as: UTF8.self)
            if text == "-" {
                throw error(at: start, "'-' must be followed by a number (there is no subtraction)")
            }
            throw error(at: start, "malformed number '\(text)'")
        }
        position = cursor
        let text = String(decoding: bytes[start..<cursor], as: UTF8.self)
        guard let value = Double(text) else { throw error(at: start, "malformed number '\(text)'") }
        var wholeNumber: NumericLiteral.WholeNumber?
        if isInteger {
            wholeNumber = Int64(text).map { .exact($0) } ?? .beyondInt64(negative: bytes[start] == UInt8(ascii: "-"))
        }
        let literal = NumericLiteral(value: value, wholeNumber: wholeNumber)
        return token(.number(literal), from: start)
    }

    private func countDigits(from index: Int) -> Int {
        var end = index
        while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
        return end - index
    }

    // MARK: - Words and fields

    private mutating func lexWord(from start: Int) throws(MatcherSyntaxError) -> MatcherToken {
        while let byte = peek(), Self.isWordStart(byte) || Self.isDigit(byte) { position += 1 }
        let word = String(decoding: bytes[start..<position], as: UTF8.self)
        guard word == "Fields" else { return token(.word(word), from: start) }
        return try lexFieldReference(from: start)
    }

    /// `Fields[name]`, `Fields[name][fi]`, `Fields[name][fi][ai]`. The name is every byte up to the
    /// first `]`, taken as written (spaces included), as in Heka.
    private mutating func lexFieldReference(from start: Int) throws(MatcherSyntaxError) -> MatcherToken {
        guard peek() == UInt8(ascii: "[") else {
            throw error(at: position, "expected '[' right after 'Fields', as in Fields[name]")
        }
        let nameStart = position + 1
        guard let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: "]")) else {
            throw error(at: position, "unterminated field name: no ']' for this '['")
        }
        guard close > nameStart else { throw error(at: position, "empty field name in 'Fields[]'") }
        var reference = FieldReference(name: Array(bytes[nameStart..<close]), fieldIndex: 0, arrayIndex: 0)
        position = close + 1
        if peek() == UInt8(ascii: "[") {
            reference.fieldIndex = try lexIndex(kind: "field index")
            if peek() == UInt8(ascii: "[") {
                reference.arrayIndex = try lexIndex(kind: "array index")
                if peek() == UInt8(ascii: "[") {
                    throw error(at: position, "too many indices: Fields[name][field index][array index] is the most there can be")
                }
            }
        }
        return token(.field(reference), from: start)
    }

    private mutating func lexIndex(kind: String) throws(MatcherSyntaxError) -> Int {
        let open = position
        position += 1
        var value = 0
        let digitsStart = position
        while let byte = peek(), Self.isDigit(byte) {
            let (product, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = product.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowMultiply, !overflowAdd, sum <= Int(Int32.max) else {
                throw error(at: digitsStart, "\(kind) is too large")
            }
            value = sum
            position += 1
        }
        if peek() == UInt8(ascii: "]"), position > digitsStart {
            position += 1
            return value
        }
        if peek() == UInt8(ascii: "]") { throw error(at: open, "empty \(kind) '[]'") }
        if peek() == nil { throw error(at: open, "unterminated \(kind): no ']' for this '['") }
        throw error(at: position, "\(kind) must be a non-negative whole number, found \(describe(at: position))")
    }

    // MARK: - Helpers

    private mutating func skipWhitespace() {
        while let byte = peek(), Self.isWhitespace(byte) { position += 1 }
    }

    private func peek(offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private func token(_ kind: MatcherToken.Kind, from start: Int) -> MatcherToken {
        MatcherToken(kind: kind, offset: start, text: String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private func error(at offset: Int, _ message: String) -> MatcherSyntaxError {
        MatcherSyntaxError(expression: expression, byteOffset: offset, message: message)
    }

    /// The character at `offset`, quoted, or a name for an invisible one.
    private func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the expression" }
        let scalar = String(decoding: bytes[offset...], as: UTF8.self).unicodeScalars.first ?? "?"
        if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
            return "U+" + String(scalar.value, radix: 16, uppercase: true)
        }
        return "'\(scalar)'"
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isWordStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
    }

    private static func continuesNumber(_ byte: UInt8) -> Bool {
        isDigit(byte) || isWordStart(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }
}
