import RunnelCore

/// The keys a document already has before its dynamic fields (the header members), checked for
/// every field: a field name of a length no reserved key has, the usual case, is answered by one
/// bit test, without comparing bytes.
public struct ESReservedKeys: Sendable {
    let keys: [[UInt8]]
    /// Bit `n` set when a key is `n` bytes long (keys of 63 bytes or more share bit 63).
    private let lengths: UInt64

    public init(_ keys: [[UInt8]]) {
        self.keys = keys
        lengths = keys.reduce(0) { $0 | Self.bit($1.count) }
    }

    @inline(__always)
    private static func bit(_ length: Int) -> UInt64 { 1 << UInt64(min(length, 63)) }

    func contains(_ name: [UInt8]) -> Bool {
        guard lengths & Self.bit(name.count) != 0 else { return false }
        return name.withUnsafeBytes { name in
            keys.withUnsafeBufferPointer { keys in
                keys.contains { key in
                    key.count == name.count && key.withUnsafeBytes { $0.elementsEqual(name) }
                }
            }
        }
    }
}
