/// A JSON number as written: `integer` when it has neither fraction nor exponent, `double` otherwise.
enum JSONNumber: Equatable {
    case integer(Int64)
    case double(Double)
}

extension JSONScanner {
    /// Exact powers of ten: a double of at most 15 digits scaled by one of these is correctly
    /// rounded by a single multiplication or division (Clinger's fast path).
    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Reads the number at the current position. Integers must fit in Int64 (RFC 8259 §6 lets a
    /// reader limit the range; silently rounding an identifier or a nanosecond timestamp to a
    /// double would be worse), doubles must be finite.
    mutating func readNumber() throws(JSONError) -> JSONNumber {
        skipWhitespace()
        let start = position
        var index = position
        let negative = index < input.count && input[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < input.count, Self.isDigit(input[index]) else {
            position = index
            throw unexpected(expected: negative ? "a digit after '-'" : "a number")
        }

        // The digits, integer and fraction part together, as an integer scaled by a power of ten.
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var tooManyDigits = false
        func accumulate(_ digit: UInt8) {
            guard mantissa != 0 || digit != UInt8(ascii: "0") else { return }  // leading zeros carry nothing
            guard significantDigits < 19 else {
                tooManyDigits = true
                return
            }
            mantissa = mantissa * 10 + UInt64(digit - UInt8(ascii: "0"))
            significantDigits += 1
        }

        if input[index] == UInt8(ascii: "0") {
            index += 1
            if index < input.count, Self.isDigit(input[index]) {
                throw error("leading zeros are not allowed in a number", at: start)
            }
        } else {
            while index < input.count, Self.isDigit(input[index]) {
                accumulate(input[index])
                index += 1
            }
        }

        var isDouble = false
        var fractionDigits = 0
        if index < input.count, input[index] == UInt8(ascii: ".") {
            isDouble = true
            index += 1
            guard index < input.count, Self.isDigit(input[index]) else {
                position = index
                throw unexpected(expected: "a digit after '.'")
            }
            while index < input.count, Self.isDigit(input[index]) {
                accumulate(input[index])
                fractionDigits += 1
                index += 1
            }
        }

        var exponent = 0
        if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
            isDouble = true
            index += 1
            var exponentNegative = false
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") {
                exponentNegative = input[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < input.count, Self.isDigit(input[index]) else {
                position = index
                throw unexpected(expected: "a digit in the exponent")
            }
            while index < input.count, Self.isDigit(input[index]) {
                // Saturate: beyond this every double is already 0 or infinite.
                exponent = min(exponent * 10 + Int(input[index] - UInt8(ascii: "0")), 100_000)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        position = index

        if !isDouble {
            if !tooManyDigits {
                if negative, mantissa <= UInt64(Int64.max) + 1 { return .integer(Int64(bitPattern: 0 &- mantissa)) }
                if !negative, mantissa <= UInt64(Int64.max) { return .integer(Int64(mantissa)) }
            }
            throw error("integer does not fit in 64 bits (write it with a fraction or exponent to read it as a double)", at: start)
        }

        let scale = exponent - fractionDigits
        if !tooManyDigits, significantDigits <= 15 {
            if mantissa == 0 { return .double(negative ? -0.0 : 0.0) }
            if (-22...22).contains(scale) {
                let magnitude = scale >= 0
                    ? Double(mantissa) * Self.exactPowersOfTen[scale]
                    : Double(mantissa) / Self.exactPowersOfTen[-scale]
                return .double(negative ? -magnitude : magnitude)
            }
        }
        // Rare: many digits or a large exponent. The standard library's parser rounds correctly.
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number is out of range for a double", at: start)
        }
        return .double(value)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
