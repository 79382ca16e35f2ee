import RunnelCore

/// Readers for the typed values of an nginx line, on the line's bytes without copying. Each returns
/// nil when the bytes do not have the value's shape.
enum NginxValueReaders {
    typealias Line = UnsafeBufferPointer<UInt8>

    /// Optional `-` and up to 18 digits.
    static func integer(_ line: Line, _ range: Range<Int>) -> Int64? {
        var index = range.lowerBound
        let negative = index < range.upperBound && line[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < range.upperBound, range.upperBound - index <= 18 else { return nil }
        var value: Int64 = 0
        while index < range.upperBound {
            let digit = line[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...18).map { exponent in
        (0..<exponent).reduce(1.0) { product, _ in product * 10 }
    }

    /// `digits[.digits]`, at most 18 digits in all. The digits form an integer below 2^63 and the
    /// power of ten is exact, so the one division rounds correctly.
    static func double(_ line: Line, _ range: Range<Int>) -> Double? {
        var mantissa: Int64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        for index in range {
            let byte = line[index]
            if byte == UInt8(ascii: "."), !sawPoint, digits > 0 {
                sawPoint = true
                continue
            }
            let digit = byte &- 0x30
            guard digit < 10, digits < 18 else { return nil }
            mantissa = mantissa * 10 + Int64(digit)
            digits += 1
            if sawPoint { fractionDigits += 1 }
        }
        guard digits > 0, !sawPoint || fractionDigits > 0 else { return nil }
        return Double(mantissa) / powersOfTen[fractionDigits]
    }

    /// Two digits at `index`.
    @inline(__always)
    private static func twoDigits(_ line: Line, _ index: Int) -> Int? {
        let tens = line[index] &- 0x30, ones = line[index + 1] &- 0x30
        guard tens < 10, ones < 10 else { return nil }
        return Int(tens) * 10 + Int(ones)
    }

    /// `10/Oct/2000:13:55:36 -0700` at `start` (26 bytes): nanoseconds since the epoch.
    static func timeLocal(_ line: Line, at start: Int) -> Int64? {
        guard start + 26 <= line.count,
              line[start + 2] == UInt8(ascii: "/"), line[start + 6] == UInt8(ascii: "/"),
              line[start + 11] == UInt8(ascii: ":"), line[start + 14] == UInt8(ascii: ":"),
              line[start + 17] == UInt8(ascii: ":"), line[start + 20] == UInt8(ascii: " "),
              let day = twoDigits(line, start), let month = monthNumber(line, start + 3),
              let century = twoDigits(line, start + 7), let yearInCentury = twoDigits(line, start + 9),
              let hour = twoDigits(line, start + 12), let minute = twoDigits(line, start + 15),
              let second = twoDigits(line, start + 18), let offset = utcOffset(line, start + 21, colon: false)
        else { return nil }
        return instant(year: century * 100 + yearInCentury, month: month, day: day, hour: hour, minute: minute,
                       second: second, nanosecond: 0, offsetSeconds: offset)
    }

    /// `2000-10-10T13:55:36-07:00` (or `…Z`): nanoseconds since the epoch.
    static func timeISO8601(_ line: Line, _ range: Range<Int>) -> Int64? {
        let start = range.lowerBound
        guard range.count == 25 || range.count == 20,
              line[start + 4] == UInt8(ascii: "-"), line[start + 7] == UInt8(ascii: "-"),
              line[start + 10] == UInt8(ascii: "T"), line[start + 13] == UInt8(ascii: ":"),
              line[start + 16] == UInt8(ascii: ":"),
              let century = twoDigits(line, start), let yearInCentury = twoDigits(line, start + 2),
              let month = twoDigits(line, start + 5), let day = twoDigits(line, start + 8),
              let hour = twoDigits(line, start + 11), let minute = twoDigits(line, start + 14),
              let second = twoDigits(line, start + 17)
        else { return nil }
        let offset: Int
        if range.count == 20 {
            guard line[start + 19] == UInt8(ascii: "Z") else { return nil }
            offset = 0
        } else {
            guard let parsed = utcOffset(line, start + 19, colon: true) else { return nil }
            offset = parsed
        }
        return instant(year: century * 100 + yearInCentury, month: month, day: day, hour: hour, minute: minute,
                       second: second, nanosecond: 0, offsetSeconds: offset)
    }

    /// `1700000000.123`: seconds with a fraction, to nanoseconds.
    static func msec(_ line: Line, _ range: Range<Int>) -> Int64? {
        guard let point = range.firstIndex(where: { line[$0] == UInt8(ascii: ".") }) else {
            return integer(line, range).flatMap { $0 <= 9_000_000_000 ? $0 * 1_000_000_000 : nil }
        }
        guard let seconds = integer(line, range.lowerBound..<point), seconds >= 0, seconds <= 9_000_000_000,
              point + 1 < range.upperBound, range.upperBound - point - 1 <= 9,
              let fraction = integer(line, (point + 1)..<range.upperBound), fraction >= 0 else { return nil }
        var nanos = fraction
        for _ in 0..<(9 - (range.upperBound - point - 1)) { nanos *= 10 }
        return seconds * 1_000_000_000 + nanos
    }

    /// `+0700` / `-07:00`: seconds east of UTC.
    private static func utcOffset(_ line: Line, _ start: Int, colon: Bool) -> Int? {
        let sign: Int
        switch line[start] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        if colon, line[start + 3] != UInt8(ascii: ":") { return nil }
        guard let hours = twoDigits(line, start + 1), let minutes = twoDigits(line, start + (colon ? 4 : 3)),
              hours < 24, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// `Jan` … `Dec` (as nginx writes them) at `start`: 1…12.
    private static func monthNumber(_ line: Line, _ start: Int) -> Int? {
        let key = UInt32(line[start]) << 16 | UInt32(line[start + 1]) << 8 | UInt32(line[start + 2])
        switch key {
        case 0x4A_616E: return 1   // Jan
        case 0x46_6562: return 2   // Feb
        case 0x4D_6172: return 3   // Mar
        case 0x41_7072: return 4   // Apr
        case 0x4D_6179: return 5   // May
        case 0x4A_756E: return 6   // Jun
        case 0x4A_756C: return 7   // Jul
        case 0x41_7567: return 8   // Aug
        case 0x53_6570: return 9   // Sep
        case 0x4F_6374: return 10  // Oct
        case 0x4E_6F76: return 11  // Nov
        case 0x44_6563: return 12  // Dec
        default: return nil
        }
    }

    private static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                                nanosecond: Int, offsetSeconds: Int) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let days = CivilTime.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return seconds * 1_000_000_000 + Int64(nanosecond)
    }
}
