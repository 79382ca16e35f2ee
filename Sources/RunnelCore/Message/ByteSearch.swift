#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeRawBufferPointer {
    /// The index of the first `byte` at or after `start`, or nil. libc's `memchr` scans a vector
    /// register at a time; `firstIndex(of:)` on bytes goes one by one (a twentieth of a
    /// file-to-Kafka agent's CPU when the line splitter used it).
    @inlinable
    public func indexOfByte(_ byte: UInt8, from start: Int) -> Int? {
        guard start >= 0, start < count, let base = baseAddress,
              let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }
}
