extension JSONWriter {
    /// Doubles below this magnitude that are whole numbers print as `<integer>.0` in Swift's
    /// shortest round-trip form; writing their digits directly gives the same text without
    /// building a `String`.
    private static let integralFastPathLimit = 9_007_199_254_740_992.0  // 2^53

    /// "00" "01" … "99": two digits per division.
    // swift-format-ignore
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    mutating func appendDigits(_ magnitude: UInt64, negative: Bool) {
        let pairs = Self.digitPairs.utf8Start
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in  // UInt64.max has 20
            var remaining = magnitude
            var index = digits.count
            while remaining >= 100 {
                let pair = Int(remaining % 100) * 2
                remaining /= 100
                index -= 2
                digits[index] = pairs[pair]
                digits[index + 1] = pairs[pair + 1]
            }
            if remaining >= 10 {
                index -= 2
                digits[index] = pairs[Int(remaining) * 2]
                digits[index + 1] = pairs[Int(remaining) * 2 + 1]
            } else {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining)
            }
            if negative { put(UInt8(ascii: "-")) }
            put(UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// Swift's `description` is the shortest text that round-trips and always has a `.` or an
    /// exponent for finite values (`1.0`, `1e-05`, `1.2345678901234567e+19`), all valid JSON.
    mutating func appendFiniteDouble(_ value: Double) {
        let magnitude = value.magnitude
        if magnitude < Self.integralFastPathLimit, magnitude.rounded(.towardZero) == magnitude {
            appendDigits(UInt64(magnitude), negative: value.sign == .minus)
            put(".0")
        } else {
            var text = value.description
            text.withUTF8 { put($0) }
        }
    }
}
