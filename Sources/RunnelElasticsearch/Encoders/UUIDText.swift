import RunnelCore

extension MessageUUID {
    /// Calls `body` with the canonical text form (`01234567-89ab-cdef-…`) built on the stack:
    /// encoders need it per message and `string` builds it through many small strings.
    func withCanonicalText<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            let digits: StaticString = "0123456789abcdef"
            let hex = digits.utf8Start
            var written = 0
            func append(_ value: UInt64, bytes: Int, from shift: Int) {
                for index in 0..<(bytes * 2) {
                    text[written] = hex[Int((value >> UInt64(shift - 4 * index)) & 0xF)]
                    written += 1
                }
            }
            func dash() {
                text[written] = UInt8(ascii: "-")
                written += 1
            }
            append(high, bytes: 4, from: 60)
            dash()
            append(high, bytes: 2, from: 28)
            dash()
            append(high, bytes: 2, from: 12)
            dash()
            append(low, bytes: 2, from: 60)
            dash()
            append(low, bytes: 6, from: 44)
            return body(UnsafeBufferPointer(rebasing: text[..<written]))
        }
    }
}
