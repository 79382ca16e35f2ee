/// A UTC calendar time split from nanoseconds since the epoch, without Foundation (hot paths format
/// timestamps per message: text output, path and index interpolation).
public struct CivilTime: Sendable, Equatable {
    public var year: Int
    public var month: Int      // 1...12
    public var day: Int        // 1...31
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int
    public var weekday: Int    // 0 = Sunday
    public var dayOfYear: Int  // 1...366

    public init(nanosecondsSinceEpoch ns: Int64) {
        let (seconds, nanos) = ns.quotientAndRemainder(dividingBy: 1_000_000_000)
        var wholeSeconds = seconds
        var fraction = nanos
        if fraction < 0 {
            fraction += 1_000_000_000
            wholeSeconds -= 1
        }
        var days = wholeSeconds / 86_400
        var secondOfDay = wholeSeconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Howard Hinnant's days-from-civil inverse, valid for the whole Int64 nanosecond range.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYearMarch = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYearMarch + 2) / 153
        let day = dayOfYearMarch - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        self.year = Int(year)
        self.month = Int(month)
        self.day = Int(day)
        self.hour = Int(secondOfDay / 3600)
        self.minute = Int(secondOfDay % 3600 / 60)
        self.second = Int(secondOfDay % 60)
        self.nanosecond = Int(fraction)
        self.weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        self.dayOfYear = cumulative[self.month - 1] + self.day + (leap && self.month > 2 ? 1 : 0)
    }

    /// RFC 3339 with nanoseconds, e.g. `2014-11-24T14:54:53.000000000Z`.
    public var rfc3339Nano: String {
        var out = [UInt8]()
        out.reserveCapacity(30)
        appendRFC3339Nano(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func appendRFC3339Nano(to out: inout [UInt8]) {
        Self.appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendDigits(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Self.appendDigits(hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendDigits(minute, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendDigits(second, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        Self.appendDigits(nanosecond, width: 9, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Zero-padded decimal digits; a negative year keeps its sign.
    public static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        // Written back to front on the stack, then appended at once: time stamps and ids render
        // digits per message on hot paths, where appending byte by byte costs a check per byte.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in  // Int.min has 19 digits
            var magnitude = value.magnitude
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            let padding = max(0, width - (digits.count - index))
            if value < 0 { out.append(UInt8(ascii: "-")) }
            if padding > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: padding)) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }
}
