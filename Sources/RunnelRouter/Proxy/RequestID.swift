/// Request ids for requests that came without one: 32 hex digits, formatted by hand (this runs
/// for every request). Each connection draws from its own generator, seeded once from the system
/// source, so a request costs no system call; ids only need to be unique, not secret.
struct RequestIDGenerator {
    private static let digits = Array("0123456789abcdef".utf8)
    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    mutating func make() -> String {
        let high = next(), low = next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<16 {
                buffer[index] = Self.digits[Int((high >> UInt64(60 - index * 4)) & 0xF)]
                buffer[16 + index] = Self.digits[Int((low >> UInt64(60 - index * 4)) & 0xF)]
            }
            return 32
        }
    }

    /// SplitMix64: a full-period 64-bit sequence with well-mixed output.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
