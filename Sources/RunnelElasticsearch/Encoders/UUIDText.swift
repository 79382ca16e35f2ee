import RunnelCore

extension MessageUUID {
    /// The canonical text form (`01234567-89ab-cdef-…`) written straight into bytes: encoders
    /// need it per message and `string` builds it through many small strings.
    func appendCanonicalText(to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        let digits = hex.utf8Start
        func append(_ value: UInt64, bytes: Int, from shift: Int, to out: inout [UInt8]) {
            for index in 0..<(bytes * 2) {
                out.append(digits[Int((value >> UInt64(shift - 4 * index)) & 0xF)])
            }
        }
        out.reserveCapacity(out.count + 36)
        append(high, bytes: 4, from: 60, to: &out)
        out.append(UInt8(ascii: "-"))
        append(high, bytes: 2, from: 28, to: &out)
        out.append(UInt8(ascii: "-"))
        append(high, bytes: 2, from: 12, to: &out)
        out.append(UInt8(ascii: "-"))
        append(low, bytes: 2, from: 60, to: &out)
        out.append(UInt8(ascii: "-"))
        append(low, bytes: 6, from: 44, to: &out)
    }
}
