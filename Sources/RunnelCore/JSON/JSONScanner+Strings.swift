/// A validated JSON string in the input: where it is and whether it needs unescaping.
struct JSONStringToken {
    /// Offset of the opening quote.
    let offset: Int
    /// The bytes between the quotes, still escaped.
    let content: Range<Int>
    let hasEscapes: Bool
}

extension JSONScanner {
    /// Validates the string starting at the current `"` and moves past it. Rejects raw control
    /// characters, invalid UTF-8, unknown escapes and unpaired surrogates in `\u` escapes (they
    /// cannot become UTF-8), each at its exact byte.
    mutating func readStringToken() throws(JSONError) -> JSONStringToken {
        let open = position
        var index = open + 1
        var hasEscapes = false
        while true {
            index = JSONStringWord.endOfPlainRun(input, from: index)
            guard index < input.count else { throw error("unterminated string", at: open) }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return JSONStringToken(offset: open, content: open + 1..<index, hasEscapes: hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index = try endOfEscape(at: index)
            } else if byte < 0x20 {
                throw error("control character \(Self.describe(byte)) must be escaped in a string", at: index)
            } else {
                let length = UTF8Validation.sequenceLength(input, at: index)
                guard length > 0 else { throw error("invalid UTF-8 in a string", at: index) }
                index += length
            }
        }
    }

    /// The unescaped bytes of a string (valid UTF-8, as `readStringToken` checked).
    func bytes(of token: JSONStringToken) -> [UInt8] {
        guard token.hasEscapes else { return Array(UnsafeBufferPointer(rebasing: input[token.content])) }
        var output: [UInt8] = []
        output.reserveCapacity(token.content.count)  // unescaping never lengthens
        var index = token.content.lowerBound
        let end = token.content.upperBound
        while index < end {
            // Copy the run up to the next backslash in one go.
            var runEnd = index
            while runEnd < end, input[runEnd] != UInt8(ascii: "\\") { runEnd += 1 }
            if runEnd > index { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<runEnd])) }
            index = runEnd
            guard index < end else { break }
            let kind = input[index + 1]
            guard kind == UInt8(ascii: "u") else {
                output.append(Self.unescaped(kind))
                index += 2
                continue
            }
            var scalar = UInt32(hexValue(at: index + 2))
            index += 6
            if (0xD800...0xDBFF).contains(scalar) {
                let low = UInt32(hexValue(at: index + 2))
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                index += 6
            }
            UTF8Bytes.append(scalar, to: &output)
        }
        return output
    }

    /// Calls `body` with the unescaped bytes, copying only when the string has escapes.
    func withBytes<Result>(of token: JSONStringToken, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard token.hasEscapes else { return body(UnsafeBufferPointer(rebasing: input[token.content])) }
        return bytes(of: token).withUnsafeBufferPointer(body)
    }

    /// Whether the string's unescaped bytes are `expected`, without allocating when it has no escapes.
    func matches(_ token: JSONStringToken, _ expected: StaticString) -> Bool {
        if !token.hasEscapes, token.content.count != expected.utf8CodeUnitCount { return false }
        return withBytes(of: token) { actual in
            guard actual.count == expected.utf8CodeUnitCount else { return false }
            for index in 0..<actual.count where actual[index] != expected.utf8Start[index] { return false }
            return true
        }
    }

    // MARK: Escapes

    private mutating func endOfEscape(at backslash: Int) throws(JSONError) -> Int {
        guard backslash + 1 < input.count else { throw error("unterminated string", at: backslash) }
        let kind = input[backslash + 1]
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return backslash + 2
        case UInt8(ascii: "u"):
            let unit = try hexEscape(at: backslash)
            switch unit {
            case 0xD800...0xDBFF:
                let next = backslash + 6
                guard next + 1 < input.count, input[next] == UInt8(ascii: "\\"), input[next + 1] == UInt8(ascii: "u"),
                    (0xDC00...0xDFFF).contains(try hexEscape(at: next))
                else {
                    throw error("lone surrogate \\u\(Self.hex(unit)): a high surrogate must be followed by a low one", at: backslash)
                }
                return next + 6
            case 0xDC00...0xDFFF:
                throw error("lone surrogate \\u\(Self.hex(unit)): a low surrogate must follow a high one", at: backslash)
            default:
                return backslash + 6
            }
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(kind)))'", at: backslash)
        }
    }

    /// The code unit of the `\uXXXX` escape at `backslash`.
    private func hexEscape(at backslash: Int) throws(JSONError) -> UInt16 {
        var unit: UInt16 = 0
        for index in backslash + 2..<backslash + 6 {
            guard index < input.count else { throw error("unterminated string", at: backslash) }
            guard let digit = Self.hexDigitValue(input[index]) else {
                throw error("invalid \\u escape: \(Self.describe(input[index])) is not a hex digit", at: index)
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// The four hex digits at `index`, already validated.
    private func hexValue(at index: Int) -> UInt16 {
        var unit: UInt16 = 0
        for offset in 0..<4 { unit = unit << 4 | UInt16(Self.hexDigitValue(input[index + offset]) ?? 0) }
        return unit
    }

    static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    private static func unescaped(_ kind: UInt8) -> UInt8 {
        switch kind {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: kind  // `"` `\` `/`
        }
    }
}
