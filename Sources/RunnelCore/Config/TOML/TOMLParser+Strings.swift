/// Basic (`"…"`, with escapes) and literal (`'…'`) strings, single- and multi-line.
extension TOMLParser {
    mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        try parseSingleLineString(delimiter: UInt8(ascii: "\""), escapes: true)
    }

    mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        try parseSingleLineString(delimiter: UInt8(ascii: "'"), escapes: false)
    }

    /// Cursor on the opening quote.
    mutating func parseSingleLineString(delimiter: UInt8, escapes: Bool) throws(TOMLSyntaxError) -> String {
        let start = index
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw error("unterminated string (opened at line \(location(start).line), column \(location(start).column))", at: index)
            }
            if byte == delimiter {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                throw error("unterminated string: a single-line string must be closed on the line where it starts (multi-line strings use triple quotes)", at: index)
            }
            if escapes && byte == UInt8(ascii: "\\") {
                try parseEscape(into: &out)
                continue
            }
            if TOMLSyntax.isForbiddenControl(byte) {
                throw error("\(characterDescription(at: index)) must be escaped in a string", at: index, quoting: characterRange(at: index))
            }
            out.append(byte)
            index += 1
        }
    }

    /// Cursor on the opening triple quote. A line break right after it is dropped; in basic
    /// strings a backslash at the end of a line removes the line break and the indentation
    /// that follows. Line breaks are kept as LF.
    mutating func parseMultilineString(delimiter: UInt8, escapes: Bool) throws(TOMLSyntaxError) -> String {
        let start = index
        index += 3
        _ = try consumeNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw error("unterminated multi-line string (opened at line \(location(start).line), column \(location(start).column))", at: index)
            }
            if byte == delimiter {
                var run = 0
                while peek(run) == delimiter { run += 1 }
                if run >= 3 {
                    // Up to two quotes may sit right before the closing three.
                    let kept = min(run - 3, 2)
                    out.append(contentsOf: repeatElement(delimiter, count: kept))
                    index += kept + 3
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(contentsOf: repeatElement(delimiter, count: run))
                index += run
                continue
            }
            if escapes && byte == UInt8(ascii: "\\") {
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &out)
                continue
            }
            if try consumeNewline() {
                out.append(UInt8(ascii: "\n"))
                continue
            }
            if TOMLSyntax.isForbiddenControl(byte) {
                throw error("\(characterDescription(at: index)) must be escaped in a string", at: index, quoting: characterRange(at: index))
            }
            out.append(byte)
            index += 1
        }
    }

    /// A backslash followed only by whitespace up to the line end: skips it and all whitespace
    /// and line breaks after it.
    private mutating func skipLineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var probe = index + 1
        while probe < bytes.count, TOMLSyntax.isWhitespace(bytes[probe]) { probe += 1 }
        let atLineEnd = probe < bytes.count
            && (bytes[probe] == UInt8(ascii: "\n")
                || (bytes[probe] == UInt8(ascii: "\r") && probe + 1 < bytes.count && bytes[probe + 1] == UInt8(ascii: "\n")))
        guard atLineEnd else { return false }
        index = probe
        while true {
            skipWhitespace()
            if try !consumeNewline() { return true }
        }
    }

    /// Cursor on the backslash.
    private mutating func parseEscape(into out: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = index
        index += 1
        guard let code = peek() else { throw error("unterminated escape sequence", at: start) }
        index += 1
        switch code {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"): try appendUnicodeEscape(hexDigits: 4, escapeStart: start, into: &out)
        case UInt8(ascii: "U"): try appendUnicodeEscape(hexDigits: 8, escapeStart: start, into: &out)
        default:
            let range = start..<characterRange(at: start + 1).upperBound
            throw error("invalid escape sequence: a backslash followed by \(characterDescription(at: start + 1)) (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)",
                        at: start, quoting: range)
        }
    }

    private mutating func appendUnicodeEscape(hexDigits: Int, escapeStart: Int, into out: inout [UInt8]) throws(TOMLSyntaxError) {
        var value: UInt32 = 0
        for _ in 0..<hexDigits {
            guard let byte = peek(), TOMLSyntax.isHexDigit(byte), let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else {
                throw error("\\\(hexDigits == 4 ? "u" : "U") must be followed by \(hexDigits) hexadecimal digits", at: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("escape \\\(hexDigits == 4 ? "u" : "U")\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value",
                        at: escapeStart, quoting: escapeStart..<index)
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
