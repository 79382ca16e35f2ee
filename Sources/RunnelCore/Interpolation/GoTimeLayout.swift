/// A time layout in Go's reference-time notation (`2006-01-02T15:04:05Z07:00`), as Heka's options
/// (`ts_format`, `timestamp_layout`) are written. Formats in UTC; parses with the offset the text
/// carries (UTC when it carries none).
public struct GoTimeLayout: Sendable, Equatable {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) at offset \(offset)" }
    }

    enum Token: Sendable, Equatable {
        case literal([UInt8])
        case year4, year2
        case monthNumber2, monthNumber, monthShort, monthLong
        case day2, day, daySpacePadded, dayOfYear
        case hour24, hour12Padded, hour12, minute2, minute, second2, second
        case amPM(upper: Bool)
        case weekdayShort, weekdayLong
        case zoneName
        /// `-0700`, `-07:00`, `-07`; with `z` true, UTC is written `Z`.
        case zoneOffset(colon: Bool, hoursOnly: Bool, z: Bool)
        /// Fractional seconds: `.000` (fixed digits) or `.999` (trailing zeros trimmed).
        case fraction(digits: Int, trimmed: Bool)
    }

    public let layout: String
    let tokens: [Token]

    public init(_ layout: String) {
        self.layout = layout
        self.tokens = Self.tokenize(Array(layout.utf8))
    }

    public static let rfc3339 = GoTimeLayout("2006-01-02T15:04:05Z07:00")
    public static let rfc3339Nano = GoTimeLayout("2006-01-02T15:04:05.999999999Z07:00")

    private static let monthsShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let monthsLong = ["January", "February", "March", "April", "May", "June", "July", "August",
                                     "September", "October", "November", "December"]
    private static let weekdaysShort = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let weekdaysLong = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    // MARK: tokenizing (longest reference-time element first, as Go does)

    static func tokenize(_ bytes: [UInt8]) -> [Token] {
        let table: [(String, Token)] = [
            ("January", .monthLong), ("Monday", .weekdayLong), ("2006", .year4), ("Z07:00", .zoneOffset(colon: true, hoursOnly: false, z: true)),
            ("Z0700", .zoneOffset(colon: false, hoursOnly: false, z: true)), ("-07:00", .zoneOffset(colon: true, hoursOnly: false, z: false)),
            ("-0700", .zoneOffset(colon: false, hoursOnly: false, z: false)), ("Z07", .zoneOffset(colon: false, hoursOnly: true, z: true)),
            ("-07", .zoneOffset(colon: false, hoursOnly: true, z: false)), ("Jan", .monthShort), ("Mon", .weekdayShort),
            ("MST", .zoneName), ("002", .dayOfYear), ("_2", .daySpacePadded), ("01", .monthNumber2), ("02", .day2),
            ("03", .hour12Padded), ("04", .minute2), ("05", .second2), ("06", .year2), ("15", .hour24),
            ("PM", .amPM(upper: true)), ("pm", .amPM(upper: false)),
            ("1", .monthNumber), ("2", .day), ("3", .hour12), ("4", .minute), ("5", .second),
        ]
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var index = 0
        outer: while index < bytes.count {
            // Fractional seconds: '.' or ',' followed by a run of 0s or 9s.
            if bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                var end = index + 1
                if end < bytes.count, bytes[end] == UInt8(ascii: "0") || bytes[end] == UInt8(ascii: "9") {
                    let digit = bytes[end]
                    while end < bytes.count && bytes[end] == digit { end += 1 }
                    let followedByDigit = end < bytes.count && bytes[end] >= UInt8(ascii: "0") && bytes[end] <= UInt8(ascii: "9")
                    if !followedByDigit {
                        if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
                        tokens.append(.fraction(digits: end - index - 1, trimmed: digit == UInt8(ascii: "9")))
                        index = end
                        continue
                    }
                }
            }
            for (text, token) in table {
                let candidate = Array(text.utf8)
                if index + candidate.count <= bytes.count && Array(bytes[index..<(index + candidate.count)]) == candidate {
                    if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
                    tokens.append(token)
                    index += candidate.count
                    continue outer
                }
            }
            literal.append(bytes[index])
            index += 1
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        return tokens
    }

    // MARK: formatting (UTC)

    public func format(nanoseconds: Int64, into out: inout [UInt8]) {
        let time = CivilTime(nanosecondsSinceEpoch: nanoseconds)
        for token in tokens {
            switch token {
            case .literal(let bytes): out += bytes
            case .year4: CivilTime.appendDigits(time.year, width: 4, to: &out)
            case .year2: CivilTime.appendDigits(((time.year % 100) + 100) % 100, width: 2, to: &out)
            case .monthNumber2: CivilTime.appendDigits(time.month, width: 2, to: &out)
            case .monthNumber: CivilTime.appendDigits(time.month, width: 1, to: &out)
            case .monthShort: out += Array(Self.monthsShort[time.month - 1].utf8)
            case .monthLong: out += Array(Self.monthsLong[time.month - 1].utf8)
            case .day2: CivilTime.appendDigits(time.day, width: 2, to: &out)
            case .day: CivilTime.appendDigits(time.day, width: 1, to: &out)
            case .daySpacePadded:
                if time.day < 10 { out.append(0x20) }
                CivilTime.appendDigits(time.day, width: 1, to: &out)
            case .dayOfYear: CivilTime.appendDigits(time.dayOfYear, width: 3, to: &out)
            case .hour24: CivilTime.appendDigits(time.hour, width: 2, to: &out)
            case .hour12Padded: CivilTime.appendDigits(time.hour % 12 == 0 ? 12 : time.hour % 12, width: 2, to: &out)
            case .hour12: CivilTime.appendDigits(time.hour % 12 == 0 ? 12 : time.hour % 12, width: 1, to: &out)
            case .minute2: CivilTime.appendDigits(time.minute, width: 2, to: &out)
            case .minute: CivilTime.appendDigits(time.minute, width: 1, to: &out)
            case .second2: CivilTime.appendDigits(time.second, width: 2, to: &out)
            case .second: CivilTime.appendDigits(time.second, width: 1, to: &out)
            case .amPM(let upper): out += Array((time.hour < 12 ? (upper ? "AM" : "am") : (upper ? "PM" : "pm")).utf8)
            case .weekdayShort: out += Array(Self.weekdaysShort[time.weekday].utf8)
            case .weekdayLong: out += Array(Self.weekdaysLong[time.weekday].utf8)
            case .zoneName: out += Array("UTC".utf8)
            case .zoneOffset(let colon, let hoursOnly, let z):
                if z { out.append(UInt8(ascii: "Z")) } else {
                    out += Array((hoursOnly ? "+00" : colon ? "+00:00" : "+0000").utf8)
                }
            case .fraction(let digits, let trimmed):
                var text: [UInt8] = []
                CivilTime.appendDigits(time.nanosecond, width: 9, to: &text)
                var kept = Array(text.prefix(digits))
                if trimmed { while kept.last == UInt8(ascii: "0") { kept.removeLast() } }
                if !kept.isEmpty || !trimmed {
                    out.append(UInt8(ascii: "."))
                    out += kept
                }
            }
        }
    }

    public func format(nanoseconds: Int64) -> String {
        var out: [UInt8] = []
        format(nanoseconds: nanoseconds, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: parsing

    /// Nanoseconds since the epoch of `text` read with this layout. A layout without a year takes
    /// `defaultYear` (syslog-style stamps carry none).
    public func parse<C: Collection>(_ text: C, defaultYear: Int = 1970) throws(ParseError) -> Int64 where C.Element == UInt8 {
        let bytes = Array(text)
        var index = 0
        var year: Int?
        var month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0
        var dayOfYear: Int?
        var pm: Bool?
        var offsetSeconds = 0

        func fail(_ reason: String) -> ParseError { ParseError(offset: index, reason: reason) }
        func number(min: Int, max: Int) throws(ParseError) -> Int {
            var value = 0
            var count = 0
            while index < bytes.count, count < max, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            guard count >= min else { throw fail("expected \(min == max ? "\(min)" : "\(min)-\(max)") digits") }
            return value
        }
        /// Digits after a decimal point as nanoseconds (any count; past nine they are ignored).
        func fractionDigits() -> (nanoseconds: Int, digits: Int) {
            let start = index
            var value = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if index - start < 9 { value = value * 10 + Int(bytes[index] - 0x30) }
                index += 1
            }
            let count = index - start
            if count < 9 { for _ in count..<9 { value *= 10 } }
            return (value, count)
        }
        func name(_ names: [String]) throws(ParseError) -> Int {
            for (position, candidate) in names.enumerated() {
                let utf8 = Array(candidate.utf8)
                if index + utf8.count <= bytes.count,
                   zip(bytes[index..<(index + utf8.count)], utf8).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) {
                    index += utf8.count
                    return position
                }
            }
            throw fail("expected one of \(names.prefix(3).joined(separator: ", "))…")
        }

        for (tokenIndex, token) in tokens.enumerated() {
            switch token {
            case .literal(let literal):
                for expected in literal {
                    guard index < bytes.count, bytes[index] == expected else {
                        throw fail("expected '\(String(decoding: literal, as: UTF8.self))'")
                    }
                    index += 1
                }
            case .year4: year = try number(min: 4, max: 4)
            case .year2:
                let short = try number(min: 2, max: 2)
                year = short >= 69 ? 1900 + short : 2000 + short
            case .monthNumber2: month = try number(min: 2, max: 2)
            case .monthNumber: month = try number(min: 1, max: 2)
            case .monthShort: month = try name(Self.monthsShort) + 1
            case .monthLong: month = try name(Self.monthsLong) + 1
            case .day2: day = try number(min: 2, max: 2)
            case .day: day = try number(min: 1, max: 2)
            case .daySpacePadded:
                if index < bytes.count, bytes[index] == 0x20 { index += 1 }
                day = try number(min: 1, max: 2)
            case .dayOfYear: dayOfYear = try number(min: 3, max: 3)
            case .hour24: hour = try number(min: 2, max: 2)
            case .hour12Padded: hour = try number(min: 2, max: 2)
            case .hour12: hour = try number(min: 1, max: 2)
            case .minute2: minute = try number(min: 2, max: 2)
            case .minute: minute = try number(min: 1, max: 2)
            case .second2, .second:
                second = try number(min: token == .second2 ? 2 : 1, max: 2)
                // As Go does, fractional seconds may follow the seconds even when the layout has none.
                let nextIsFraction = tokenIndex + 1 < tokens.count && { if case .fraction = tokens[tokenIndex + 1] { true } else { false } }()
                if !nextIsFraction, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."),
                   bytes[index + 1] >= 0x30, bytes[index + 1] <= 0x39 {
                    index += 1
                    nanos = fractionDigits().nanoseconds
                }
            case .amPM: pm = try name(["AM", "PM"]) == 1
            case .weekdayShort: _ = try name(Self.weekdaysShort)
            case .weekdayLong: _ = try name(Self.weekdaysLong)
            case .zoneName:
                // Zone abbreviations are ambiguous; only UTC/GMT/Z are understood, others read as UTC.
                while index < bytes.count, (bytes[index] >= 0x41 && bytes[index] <= 0x5A) { index += 1 }
            case .zoneOffset(let colon, let hoursOnly, let z):
                if z, index < bytes.count, bytes[index] == UInt8(ascii: "Z") {
                    index += 1
                    break
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else {
                    throw fail("expected a UTC offset")
                }
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                let hours = try number(min: 2, max: 2)
                var minutes = 0
                if !hoursOnly {
                    if colon {
                        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' in UTC offset") }
                        index += 1
                    }
                    minutes = try number(min: 2, max: 2)
                }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            case .fraction(let digits, let trimmed):
                // Go accepts any number of fractional digits when parsing.
                if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    let fraction = fractionDigits()
                    guard fraction.digits > 0 else { throw fail("expected fractional seconds") }
                    nanos = fraction.nanoseconds
                } else if !trimmed && digits > 0 {
                    throw fail("expected fractional seconds")
                }
            }
        }
        guard index == bytes.count else { throw fail("unexpected text after the time") }
        if let pm {
            guard (1...12).contains(hour) else { throw fail("hour out of range for AM/PM") }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        let resolvedYear = year ?? defaultYear
        if let dayOfYear {
            let days = Self.daysFromCivil(year: resolvedYear, month: 1, day: 1) + Int64(dayOfYear - 1)
            return Self.nanoseconds(days: days, hour: hour, minute: minute, second: second, nanos: nanos, offset: offsetSeconds)
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            throw ParseError(offset: 0, reason: "date or time field out of range")
        }
        let days = Self.daysFromCivil(year: resolvedYear, month: month, day: day)
        return Self.nanoseconds(days: days, hour: hour, minute: minute, second: second, nanos: nanos, offset: offsetSeconds)
    }

    private static func nanoseconds(days: Int64, hour: Int, minute: Int, second: Int, nanos: Int, offset: Int) -> Int64 {
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return seconds &* 1_000_000_000 &+ Int64(nanos)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
