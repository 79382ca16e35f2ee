import RunnelCore

/// Reads a timestamp taken from a record (a `Timestamp` capture, a JSON key): with a Go layout
/// (`timestamp_layout`), one of Heka's Unix-time names (`Epoch`, `EpochMilli`, `EpochMicro`,
/// `EpochNano`), or, with no layout, the first of Go's standard layouts that fits, as Heka did.
///
/// Text without a UTC offset is read in `zone`. A layout without a year takes the current one
/// (the previous one when that would put the time more than a day ahead, so December lines read
/// in January land in the right year); a layout without a date takes today's, as in Heka.
struct TimestampReader: Sendable {
    enum Format: Sendable {
        case layouts([GoTimeLayout])
        /// Decimal Unix time in units of this many nanoseconds (a fraction is allowed).
        case epoch(nanosecondsPerUnit: Int64)
    }

    struct Failure: Error, Sendable {
        let reason: String
    }

    let format: Format
    let zone: TimestampZone
    /// How the format is named in messages.
    let formatName: String

    /// Go's standard layouts (its `time` package constants) plus the common log format, tried in
    /// order when no layout is configured.
    static let standardLayouts: [GoTimeLayout] = [
        "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05",
        "02/Jan/2006:15:04:05 -0700", "Mon Jan _2 15:04:05 2006", "Mon Jan _2 15:04:05 MST 2006",
        "Mon Jan 02 15:04:05 -0700 2006", "02 Jan 06 15:04 MST", "02 Jan 06 15:04 -0700",
        "Monday, 02-Jan-06 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 -0700",
        "Jan _2 15:04:05", "3:04PM",
    ].map(GoTimeLayout.init)

    init(layout: String?, location: String?) throws(PluginBuildError) {
        zone = try TimestampZone(location: location)
        switch layout {
        case nil, "":
            format = .layouts(Self.standardLayouts)
            formatName = "any of Go's standard layouts (set timestamp_layout)"
        case "Epoch": format = .epoch(nanosecondsPerUnit: 1_000_000_000); formatName = "Epoch"
        case "EpochMilli": format = .epoch(nanosecondsPerUnit: 1_000_000); formatName = "EpochMilli"
        case "EpochMicro": format = .epoch(nanosecondsPerUnit: 1_000); formatName = "EpochMicro"
        case "EpochNano": format = .epoch(nanosecondsPerUnit: 1); formatName = "EpochNano"
        case let text?:
            let parsed = GoTimeLayout(text)
            guard parsed.readsAnyElement else {
                throw PluginBuildError(key: "timestamp_layout",
                                       "'\(text)' has no date or time element of Go's reference time (Mon Jan 2 15:04:05 MST 2006)")
            }
            format = .layouts([parsed])
            formatName = "timestamp_layout '\(text)'"
        }
    }

    /// Nanoseconds since the epoch; `now` supplies a missing year or date.
    func read<C: Collection<UInt8>>(_ text: C, now: Int64) throws(Failure) -> Int64 {
        switch format {
        case .epoch(let unit):
            guard let value = Self.decimal(text, unit: unit) else {
                throw Failure(reason: "'\(textPreview(text))' is not a Unix time for \(formatName)")
            }
            return value
        case .layouts(let layouts):
            var firstError: GoTimeLayout.ParseError?
            for layout in layouts {
                do {
                    return try read(text, layout: layout, now: now)
                } catch {
                    if firstError == nil { firstError = error }
                }
            }
            let detail = layouts.count == 1 ? firstError.map { ": \($0)" } ?? "" : ""
            throw Failure(reason: "'\(textPreview(text))' does not fit \(formatName)\(detail)")
        }
    }

    private func read<C: Collection<UInt8>>(_ text: C, layout: GoTimeLayout, now: Int64) throws(GoTimeLayout.ParseError) -> Int64 {
        let today = CivilTime(nanosecondsSinceEpoch: now)
        if !layout.readsDate {
            let timeOfDay = try layout.parse(text)
            let midnight = now - Int64(today.hour * 3600 + today.minute * 60 + today.second) * 1_000_000_000 - Int64(today.nanosecond)
            return layout.readsUTCOffset ? midnight + timeOfDay : zone.instant(ofWallClock: midnight + timeOfDay)
        }
        var instant = try layout.parse(text, defaultYear: today.year)
        if !layout.readsUTCOffset { instant = zone.instant(ofWallClock: instant) }
        if !layout.readsYear, instant > now + 86_400_000_000_000 {
            instant = try layout.parse(text, defaultYear: today.year - 1)
            if !layout.readsUTCOffset { instant = zone.instant(ofWallClock: instant) }
        }
        return instant
    }

    /// `[-]digits[.digits]` times `unit` nanoseconds, nil when malformed or out of range.
    static func decimal<C: Collection<UInt8>>(_ text: C, unit: Int64) -> Int64? {
        var index = text.startIndex
        var negative = false
        if index != text.endIndex, text[index] == UInt8(ascii: "-") {
            negative = true
            index = text.index(after: index)
        }
        var whole: Int64 = 0
        var digits = 0
        while index != text.endIndex, let digit = asciiDigit(text[index]) {
            let (shifted, overflow) = whole.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            whole = shifted + digit
            digits += 1
            index = text.index(after: index)
        }
        guard digits > 0 else { return nil }
        var fraction: Int64 = 0
        if index != text.endIndex, text[index] == UInt8(ascii: ".") {
            index = text.index(after: index)
            var scale = unit
            var fractionDigits = 0
            while index != text.endIndex, let digit = asciiDigit(text[index]) {
                scale /= 10
                fraction += digit * scale
                fractionDigits += 1
                index = text.index(after: index)
            }
            guard fractionDigits > 0 else { return nil }
        }
        guard index == text.endIndex else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow, scaled <= Int64.max - fraction else { return nil }
        return negative ? -(scaled + fraction) : scaled + fraction
    }

    private static func asciiDigit(_ byte: UInt8) -> Int64? {
        byte >= 0x30 && byte <= 0x39 ? Int64(byte - 0x30) : nil
    }
}
