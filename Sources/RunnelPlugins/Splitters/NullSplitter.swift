import RunnelCore

/// Every chunk an input reads is one record (Heka's NullSplitter): for datagram inputs, where each
/// packet is a message.
public struct NullSplitter: Splitter {
    private var pending: [SplitRecord] = []
    private var offset: Int64
    private let maxRecordSize: Int

    public init(maxRecordSize: Int, startOffset: Int64 = 0) {
        self.maxRecordSize = maxRecordSize
        self.offset = startOffset
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        offset += Int64(bytes.count)
        let truncated = bytes.count > maxRecordSize
        pending.append(SplitRecord(bytes: Array(bytes.prefix(maxRecordSize)), endOffset: offset, truncated: truncated))
    }

    public mutating func next() -> SplitRecord? {
        pending.isEmpty ? nil : pending.removeFirst()
    }

    public mutating func finish() -> SplitRecord? { nil }
}
