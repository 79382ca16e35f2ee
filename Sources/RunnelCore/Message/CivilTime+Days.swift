extension CivilTime {
    /// Days since 1970-01-01 of a proleptic Gregorian date: the inverse of the split in `init`,
    /// for parsers that read a date themselves.
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        GoTimeLayout.daysFromCivil(year: year, month: month, day: day)
    }
}
