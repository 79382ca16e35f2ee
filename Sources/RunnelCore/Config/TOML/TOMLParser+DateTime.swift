/// RFC 3339 date-times as TOML 1.0 allows them: offset and local date-times, local dates and
/// local times (seconds required; `T`, `t` or a space between date and time).
extension TOMLParser {
    /// `YYYY-`: the start of a date.
    func looksLikeDate(at offset: Int) -> Bool {
        guard offset + 4 < bytes.count else { return false }
        return (0..<4).allSatisfy { TOMLSyntax.isDigit(bytes[offset + $0]) } && bytes[offset + 4] == UInt8(ascii: "-")
    }

    /// `HH:`: the start of a time.
    func looksLikeTime(at offset: Int) -> Bool {
        guard offset + 2 < bytes.count else { return false }
        return TOMLSyntax.isDigit(bytes[offset]) && TOMLSyntax.isDigit(bytes[offset + 1]) && bytes[offset + 2] == UInt8(ascii: ":")
    }

    /// Cursor on the first digit of the year.
    mutating func parseDateTime() throws(TOMLSyntaxError) -> TOMLDateTime {
        let start = index
        let (year, month, day) = try threeFields([(4, "year"), (2, "month"), (2, "day")], separator: "-")
        guard (1...12).contains(month) else {
            throw error("invalid date: month \(month) does not exist", at: start, quoting: start..<index)
        }
        guard (1...TOMLDateTime.daysInMonth(year: year, month: month)).contains(day) else {
            throw error("invalid date: day \(day) does not exist in \(year)-\(month < 10 ? "0" : "")\(month)", at: start, quoting: start..<index)
        }
        let date = TOMLDateTime.LocalDate(year: year, month: month, day: day)

        if peek() == UInt8(ascii: "T") || peek() == UInt8(ascii: "t") {
            index += 1
        } else if peek() == UInt8(ascii: " "), looksLikeTime(at: index + 1) {
            index += 1
        } else {
            return TOMLDateTime(date: date, time: nil)
        }
        let time = try parseTime()
        let offset = try parseUTCOffset()
        return TOMLDateTime(date: date, time: time, utcOffsetMinutes: offset)
    }

    /// Cursor on the first digit of the hour.
    mutating func parseTime() throws(TOMLSyntaxError) -> TOMLDateTime.LocalTime {
        let start = index
        let (hour, minute, second) = try threeFields([(2, "hour"), (2, "minute"), (2, "second")], separator: ":")
        var nanosecond = 0
        if peek() == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while let byte = peek(), TOMLSyntax.isDigit(byte) {
                if digits < 9 { nanosecond = nanosecond * 10 + Int(byte - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw unexpected("digits after the decimal point of the seconds") }
            for _ in digits..<max(digits, 9) { nanosecond *= 10 }
        }
        guard hour <= 23, minute <= 59, second <= 60 else {
            throw error("invalid time: hour \(hour), minute \(minute), second \(second) is out of range (hour 0-23, minute 0-59, second 0-60)",
                        at: start, quoting: start..<index)
        }
        return TOMLDateTime.LocalTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    private mutating func parseUTCOffset() throws(TOMLSyntaxError) -> Int? {
        guard let byte = peek() else { return nil }
        if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") {
            index += 1
            return 0
        }
        guard byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else { return nil }
        let start = index
        index += 1
        let hours = try fixedDigits(2, what: "offset hour")
        try expectDateTimeSeparator(":")
        let minutes = try fixedDigits(2, what: "offset minute")
        guard hours <= 23, minutes <= 59 else { throw error("invalid UTC offset", at: start, quoting: start..<index) }
        return (hours * 60 + minutes) * (byte == UInt8(ascii: "-") ? -1 : 1)
    }

    /// `YYYY-MM-DD` or `HH:MM:SS`: three fixed-width numbers joined by `separator`.
    private mutating func threeFields(_ fields: [(width: Int, name: String)], separator: Unicode.Scalar) throws(TOMLSyntaxError) -> (Int, Int, Int) {
        var values: [Int] = []
        for (position, field) in fields.enumerated() {
            if position > 0 { try expectDateTimeSeparator(separator) }
            values.append(try fixedDigits(field.width, what: field.name))
        }
        return (values[0], values[1], values[2])
    }

    private mutating func fixedDigits(_ count: Int, what: String) throws(TOMLSyntaxError) -> Int {
        var value = 0
        for _ in 0..<count {
            guard let byte = peek(), TOMLSyntax.isDigit(byte) else {
                throw unexpected("\(count) digits for the \(what) of a date-time")
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
        }
        return value
    }

    private mutating func expectDateTimeSeparator(_ separator: Unicode.Scalar) throws(TOMLSyntaxError) {
        guard peek() == UInt8(ascii: separator) else { throw unexpected("'\(separator)' in a date-time") }
        index += 1
    }
}
