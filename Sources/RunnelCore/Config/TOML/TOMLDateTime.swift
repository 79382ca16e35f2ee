/// A TOML date-time value in one of its four forms: offset date-time, local date-time, local
/// date or local time.
public struct TOMLDateTime: Sendable, Hashable, CustomStringConvertible {
    public struct LocalDate: Sendable, Hashable {
        public var year: Int, month: Int, day: Int
        public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }
    }

    public struct LocalTime: Sendable, Hashable {
        public var hour: Int, minute: Int, second: Int
        public var nanosecond: Int
        public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
            self.hour = hour; self.minute = minute; self.second = second; self.nanosecond = nanosecond
        }
    }

    public enum Form: Sendable, Hashable { case offsetDateTime, localDateTime, localDate, localTime }

    public var date: LocalDate?
    public var time: LocalTime?
    /// Minutes east of UTC; nil for the local forms.
    public var utcOffsetMinutes: Int?

    public init(date: LocalDate?, time: LocalTime?, utcOffsetMinutes: Int? = nil) {
        self.date = date
        self.time = time
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    public var form: Form {
        switch (date, time, utcOffsetMinutes) {
        case (.some, .some, .some): return .offsetDateTime
        case (.some, .some, .none): return .localDateTime
        case (.some, .none, _): return .localDate
        default: return .localTime
        }
    }

    /// Nanoseconds since the Unix epoch, for an offset date-time only.
    public var epochNanoseconds: Int64? {
        guard let date, let time, let utcOffsetMinutes else { return nil }
        let days = Self.daysSinceEpoch(year: date.year, month: date.month, day: date.day)
        let seconds = days * 86_400 + time.hour * 3600 + time.minute * 60 + time.second - utcOffsetMinutes * 60
        return Int64(seconds) * 1_000_000_000 + Int64(time.nanosecond)
    }

    /// RFC 3339 text, e.g. `1979-05-27T07:32:00.5-07:00`.
    public var description: String {
        var text = ""
        if let date {
            text += Self.padded(date.year, 4) + "-" + Self.padded(date.month, 2) + "-" + Self.padded(date.day, 2)
        }
        if let time {
            if date != nil { text += "T" }
            text += Self.padded(time.hour, 2) + ":" + Self.padded(time.minute, 2) + ":" + Self.padded(time.second, 2)
            if time.nanosecond > 0 {
                var fraction = Self.padded(time.nanosecond, 9)
                while fraction.hasSuffix("0") { fraction.removeLast() }
                text += "." + fraction
            }
        }
        if let utcOffsetMinutes {
            if utcOffsetMinutes == 0 {
                text += "Z"
            } else {
                let magnitude = abs(utcOffsetMinutes)
                text += (utcOffsetMinutes < 0 ? "-" : "+") + Self.padded(magnitude / 60, 2) + ":" + Self.padded(magnitude % 60, 2)
            }
        }
        return text
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
