/// What byte-stream splitters share about records longer than `SplitterLimits.maxRecordSize`:
/// the count of dropped ones for `Splitter.takeDiscarded`, and the record that ends a stream.
public struct OverlongRecords: Sendable {
    public let limits: SplitterLimits
    public private(set) var dropped = 0
    private var reported = 0

    public init(limits: SplitterLimits) {
        self.limits = limits
    }

    public mutating func noteDropped() { dropped += 1 }

    /// Drops counted since the last call, under the reason inputs report them by.
    public mutating func takeDiscarded() -> [String: Int] {
        defer { reported = dropped }
        return dropped > reported ? ["record_too_long": dropped - reported] : [:]
    }

    /// At the end of a stream: the head `kept` of an over-long record that was being skipped
    /// (`skipping`), or the bytes after the last delimiter, when the limits deliver an incomplete
    /// final record; an over-long record not delivered is counted as dropped.
    public mutating func finalRecord(skipping: Bool, kept: [UInt8]?, pending: ArraySlice<UInt8>,
                                     endOffset: Int64) -> SplitRecord? {
        if skipping {
            if let kept, limits.deliverIncompleteFinal { return SplitRecord(bytes: kept, endOffset: endOffset, truncated: true) }
            dropped += 1
            return nil
        }
        guard limits.deliverIncompleteFinal, !pending.isEmpty else { return nil }
        return SplitRecord(bytes: Array(pending.prefix(limits.maxRecordSize)), endOffset: endOffset,
                           truncated: pending.count > limits.maxRecordSize)
    }
}
