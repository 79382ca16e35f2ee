/// The text of a message: header strings, field names and string values.
///
/// Heka's strings are Go strings, which are byte sequences: a container may print invalid UTF-8 or
/// NUL bytes and Heka carries them through. A Swift `String` cannot hold invalid UTF-8 without
/// repairing it, so Runnel keeps the bytes and compares them bytewise (as Go does, so
/// `EnvVersion > '0.7'` orders exactly like Heka).
public struct ByteString: Sendable, Hashable, Comparable {
    public var bytes: [UInt8]

    @inlinable
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    @inlinable
    public init<S: Sequence>(bytes: S) where S.Element == UInt8 { self.bytes = Array(bytes) }

    @inlinable
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    public static let empty = ByteString([])

    @inlinable public var count: Int { bytes.count }
    @inlinable public var isEmpty: Bool { bytes.isEmpty }

    /// The text with invalid UTF-8 sequences replaced by U+FFFD (lossy; for display).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The text when the bytes are valid UTF-8, nil otherwise.
    public var validString: String? { String(validating: bytes, as: UTF8.self) }

    public var isValidUTF8: Bool { validString != nil }

    /// Hashes the bytes as one buffer (the synthesized hash fed the hasher a byte at a time, a
    /// quarter of AggregateFilter's time when grouping by a field).
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    @inlinable
    public static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes == rhs.bytes
    }

    @inlinable
    public static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension ByteString: ExpressibleByStringLiteral {
    @inlinable
    public init(stringLiteral value: String) { self.init(value) }
}

extension ByteString: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { string }
    public var debugDescription: String { string.debugDescription }
}
