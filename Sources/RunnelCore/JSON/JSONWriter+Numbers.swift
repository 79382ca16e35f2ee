extension JSONWriter {
    /// Doubles below this magnitude that are whole numbers print as `<integer>.0` in Swift's
    /// shortest round-trip form; writing their digits directly gives the same text without
    /// building a `String`.
    private static let integralFastPathLimit = 9_007_199_254_740_992.0  // 2^53

    mutating func appendDigits(_ magnitude: UInt64, negative: Bool) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and a sign fit
        withUnsafeMutableBytes(of: &scratch) { digits in
            var remaining = magnitude
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            if negative {
                index -= 1
                digits[index] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[index...]))
        }
    }

    /// Swift's `description` is the shortest text that round-trips and always has a `.` or an
    /// exponent for finite values (`1.0`, `1e-05`, `1.2345678901234567e+19`), all valid JSON.
    mutating func appendFiniteDouble(_ value: Double) {
        let magnitude = value.magnitude
        if magnitude < Self.integralFastPathLimit, magnitude.rounded(.towardZero) == magnitude {
            appendDigits(UInt64(magnitude), negative: value.sign == .minus)
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0"))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }
}
