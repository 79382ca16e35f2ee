/// Decimal integers in record text: an optional `-` and digits only (no `+`, spaces or
/// separators); nil when malformed or out of Int64's range.
func asciiInteger<C: Collection<UInt8>>(_ text: C) -> Int64? {
    var index = text.startIndex
    var negative = false
    if index != text.endIndex, text[index] == UInt8(ascii: "-") {
        negative = true
        index = text.index(after: index)
    }
    guard index != text.endIndex else { return nil }
    var magnitude: UInt64 = 0
    while index != text.endIndex {
        let byte = text[index]
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        let (shifted, overflowMultiplying) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, overflowAdding) = shifted.addingReportingOverflow(UInt64(byte - 0x30))
        guard !overflowMultiplying, !overflowAdding else { return nil }
        magnitude = sum
        index = text.index(after: index)
    }
    if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
    return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
}

func asciiInt32<C: Collection<UInt8>>(_ text: C) -> Int32? {
    asciiInteger(text).flatMap { Int32(exactly: $0) }
}
