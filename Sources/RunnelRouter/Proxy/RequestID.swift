import NIOCore
import RunnelCore

/// A request's id: the client's `X-Request-Id`, or 128 random bits kept as numbers and written
/// as 32 hex digits straight into the upstream head (a String is made only for logs and local
/// answers).
enum RequestID {
    case generated(UInt64, UInt64)
    case given(String)

    private static let digits: StaticString = "0123456789abcdef"

    var string: String {
        switch self {
        case .given(let id): return id
        case .generated(let high, let low):
            return String(unsafeUninitializedCapacity: 32) { Self.hex(high, low, into: UnsafeMutableRawBufferPointer($0)) }
        }
    }

    var isGenerated: Bool { if case .generated = self { return true } else { return false } }

    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .given(let id): buffer.writeString(id)
        case .generated(let high, let low):
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 32) { Self.hex(high, low, into: $0) }
        }
    }

    private static func hex(_ high: UInt64, _ low: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let digits = Self.digits.utf8Start
        for index in 0..<16 {
            buffer[index] = digits[Int((high >> UInt64(60 - index * 4)) & 0xF)]
            buffer[16 + index] = digits[Int((low >> UInt64(60 - index * 4)) & 0xF)]
        }
        return 32
    }
}

/// Request ids for requests that came without one. Each connection draws from its own generator,
/// seeded once from the system source, so a request costs no system call; ids only need to be
/// unique, not secret.
struct RequestIDGenerator {
    private var random: SplitMix64

    init() {
        var system = SystemRandomNumberGenerator()
        random = SplitMix64(seed: system.next())
    }

    mutating func make() -> RequestID { .generated(random.next(), random.next()) }
}
