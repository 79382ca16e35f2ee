/// What a layout reads, so a decoder knows which parts of a time it must supply itself (the zone
/// of a stamp without an offset, the year of a syslog-style stamp).
extension GoTimeLayout {
    /// The layout has at least one date or time element (a layout of literals only reads nothing).
    public var readsAnyElement: Bool {
        tokens.contains { if case .literal = $0 { false } else { true } }
    }

    /// The layout reads a UTC offset (`-0700`, `Z07:00`, …). Zone names (`MST`) do not count:
    /// they are read as UTC.
    public var readsUTCOffset: Bool {
        tokens.contains { if case .zoneOffset = $0 { true } else { false } }
    }

    public var readsYear: Bool {
        tokens.contains { $0 == .year4 || $0 == .year2 }
    }

    /// The layout reads a month and day, or a day of the year.
    public var readsDate: Bool {
        tokens.contains { token in
            switch token {
            case .monthNumber2, .monthNumber, .monthShort, .monthLong, .day2, .day, .daySpacePadded, .dayOfYear: true
            default: false
            }
        }
    }
}
