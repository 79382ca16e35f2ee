/// Request ids for requests that came without one: 32 hex digits from the system random source,
/// formatted by hand (this runs for every request).
enum RequestID {
    private static let digits = Array("0123456789abcdef".utf8)

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<16 {
                buffer[index] = digits[Int((high >> UInt64(60 - index * 4)) & 0xF)]
                buffer[16 + index] = digits[Int((low >> UInt64(60 - index * 4)) & 0xF)]
            }
            return 32
        }
    }
}
