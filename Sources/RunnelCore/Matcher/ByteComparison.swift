#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-sequence comparisons on buffers that may be empty (and then have no base address).
enum ByteComparison {
    @inline(__always)
    static func equal(_ value: UnsafeBufferPointer<UInt8>, _ literal: [UInt8]) -> Bool {
        guard value.count == literal.count else { return false }
        return literal.withUnsafeBufferPointer { compare(value, $0, count: value.count) == 0 }
    }

    /// Negative, zero or positive as `value` sorts before, equal to or after `literal`.
    static func order(_ value: UnsafeBufferPointer<UInt8>, _ literal: [UInt8]) -> Int {
        literal.withUnsafeBufferPointer { literal in
            let common = compare(value, literal, count: min(value.count, literal.count))
            return common != 0 ? Int(common) : value.count - literal.count
        }
    }

    @inline(__always)
    static func hasPrefix(_ value: UnsafeBufferPointer<UInt8>, _ literal: [UInt8]) -> Bool {
        guard value.count >= literal.count else { return false }
        return literal.withUnsafeBufferPointer { compare(value, $0, count: $0.count) == 0 }
    }

    @inline(__always)
    static func hasSuffix(_ value: UnsafeBufferPointer<UInt8>, _ literal: [UInt8]) -> Bool {
        guard value.count >= literal.count else { return false }
        let tail = UnsafeBufferPointer(rebasing: value[(value.count - literal.count)...])
        return literal.withUnsafeBufferPointer { compare(tail, $0, count: $0.count) == 0 }
    }

    /// Substring search: `memchr` for the first byte (vectorised in libc), `memcmp` for the rest.
    /// (glibc's `memmem` is not visible to Swift without _GNU_SOURCE.)
    static func contains(_ value: UnsafeBufferPointer<UInt8>, _ literal: [UInt8]) -> Bool {
        guard !literal.isEmpty else { return true }
        guard value.count >= literal.count, let haystack = value.baseAddress else { return false }
        return literal.withUnsafeBufferPointer { needle in
            guard let needleStart = needle.baseAddress else { return true }
            let first = Int32(needleStart.pointee)
            let last = haystack + (value.count - needle.count)
            var cursor = haystack
            while cursor <= last {
                guard let hit = memchr(cursor, first, last - cursor + 1) else { return false }
                let candidate = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(candidate, needleStart, needle.count) == 0 { return true }
                cursor = candidate + 1
            }
            return false
        }
    }

    /// `memcmp` of the first `count` bytes, tolerating empty buffers without a base address.
    @inline(__always)
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, count: Int) -> Int32 {
        guard count > 0, let a = a.baseAddress, let b = b.baseAddress else { return 0 }
        return memcmp(a, b, count)
    }
}
