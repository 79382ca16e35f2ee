import NIOCore

/// A message head read in place from its bytes: request and response heads are parsed the same way.
protocol ParsedHead {
    init(bytes: ByteBuffer)
    /// Reads the head from `raw` (its bytes), throwing at the first byte that breaks the grammar.
    mutating func read(_ raw: UnsafeRawBufferPointer) throws
}

extension ParsedHead {
    /// Parses `bytes`, which hold exactly one head (as found by `HeadScanner.headLength`).
    static func parse(_ bytes: ByteBuffer) throws -> Self {
        var head = Self(bytes: bytes)
        try bytes.withUnsafeReadableBytes { raw in try head.read(raw) }
        return head
    }
}
