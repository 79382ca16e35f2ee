/// Integers (decimal, 0x, 0o, 0b, with underscores) and floats (fraction, exponent, inf, nan).
extension TOMLParser {
    static func isNumberTokenByte(_ byte: UInt8) -> Bool {
        TOMLSyntax.isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
    }

    /// Cursor on a digit, a sign, `i` or `n`.
    mutating func parseNumber() throws(TOMLSyntaxError) -> ConfigValue.Content {
        let start = index
        while let byte = peek(), Self.isNumberTokenByte(byte) { index += 1 }
        let token = Array(bytes[start..<index])
        let text = String(decoding: token, as: UTF8.self)
        func invalid(_ reason: String? = nil) -> TOMLSyntaxError {
            error("'\(text)' is not a valid number" + (reason.map { ": \($0)" } ?? ""), at: start, quoting: start..<index)
        }
        guard !token.isEmpty else { throw unexpected("a value") }

        var body = token[...]
        var negative = false
        let hasSign = body.first == UInt8(ascii: "+") || body.first == UInt8(ascii: "-")
        if hasSign {
            negative = body.first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        if body.elementsEqual("inf".utf8) { return .double(negative ? -.infinity : .infinity) }
        if body.elementsEqual("nan".utf8) { return .double(.nan) }

        if body.count >= 2, body.first == UInt8(ascii: "0"),
           let radix = Self.radix(forPrefix: body[body.startIndex + 1]) {
            if hasSign { throw invalid("a hexadecimal, octal or binary integer cannot have a sign") }
            let digits = body.dropFirst(2)
            guard Self.areDigits(digits, radix: radix) else { throw invalid() }
            let cleaned = String(decoding: digits.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            guard let value = Int64(cleaned, radix: radix) else { throw invalid("out of the 64-bit integer range") }
            return .integer(value)
        }

        // Decimal: integer part, optional fraction, optional exponent.
        let exponentStart = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(exponentStart ?? body.endIndex)]
        let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
        let integerPart = mantissa[..<(dot ?? mantissa.endIndex)]
        guard Self.areDigits(integerPart, radix: 10) else { throw invalid() }
        let integerDigits = integerPart.filter { $0 != UInt8(ascii: "_") }
        if integerDigits.count > 1 && integerDigits.first == UInt8(ascii: "0") {
            throw invalid("leading zeros are not allowed")
        }
        if let dot {
            guard Self.areDigits(mantissa[(dot + 1)...], radix: 10) else {
                throw invalid("a decimal point must have digits on both sides")
            }
        }
        if let exponentStart {
            var exponent = body[(exponentStart + 1)...]
            if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
            guard Self.areDigits(exponent, radix: 10) else { throw invalid("the exponent needs digits") }
        }
        let cleaned = String(decoding: token.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if dot == nil && exponentStart == nil {
            guard let value = Int64(cleaned) else { throw invalid("out of the 64-bit integer range") }
            return .integer(value)
        }
        guard let value = Double(cleaned) else { throw invalid() }
        return .double(value)
    }

    private static func radix(forPrefix byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "x"): return 16
        case UInt8(ascii: "o"): return 8
        case UInt8(ascii: "b"): return 2
        default: return nil
        }
    }

    /// Non-empty digits of `radix`, where each underscore sits between two digits.
    private static func areDigits(_ text: ArraySlice<UInt8>, radix: Int) -> Bool {
        guard let first = text.first, let last = text.last,
              first != UInt8(ascii: "_"), last != UInt8(ascii: "_") else { return false }
        var previousWasUnderscore = false
        for byte in text {
            if byte == UInt8(ascii: "_") {
                if previousWasUnderscore { return false }
                previousWasUnderscore = true
                continue
            }
            previousWasUnderscore = false
            guard isDigit(byte, radix: radix) else { return false }
        }
        return true
    }

    private static func isDigit(_ byte: UInt8, radix: Int) -> Bool {
        switch radix {
        case 16: return TOMLSyntax.isHexDigit(byte)
        case 8: return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7")
        case 2: return byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1")
        default: return TOMLSyntax.isDigit(byte)
        }
    }
}
