extension Array where Element == UInt8 {
    /// A new array holding a copy of `bytes`, made with one `memcpy`. `Array(bytes)` on a raw
    /// buffer goes through the generic collection copy, a byte at a time: on the consumer thread
    /// that was a twentieth of the agent's CPU for 200-byte records.
    @inlinable
    public init(copying bytes: UnsafeRawBufferPointer) {
        self.init(unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            if let source = bytes.baseAddress, let target = buffer.baseAddress, !bytes.isEmpty {
                UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: bytes.count)
            }
            initialized = bytes.count
        }
    }

    /// A new array holding a copy of `bytes` (see `init(copying:)` for a raw buffer).
    @inlinable
    public init(copying bytes: ArraySlice<UInt8>) {
        self = bytes.withUnsafeBytes { Array(copying: $0) }
    }
}
