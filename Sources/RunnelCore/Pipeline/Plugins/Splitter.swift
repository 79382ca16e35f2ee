/// A record cut from an input's byte stream, with where it ends (the checkpoint position once it
/// is delivered) and whether it was cut short at the size limit.
public struct SplitRecord: Sendable, Equatable {
    public var bytes: [UInt8]
    /// Stream offset just past the record (and its delimiter).
    public var endOffset: Int64
    /// The record was longer than the limit and holds only its first bytes.
    public var truncated: Bool

    public init(bytes: [UInt8], endOffset: Int64, truncated: Bool = false) {
        self.bytes = bytes
        self.endOffset = endOffset
        self.truncated = truncated
    }
}

/// Cuts a byte stream into records (Heka's splitters). One instance per stream; not shared.
public protocol Splitter {
    /// Bytes read from the stream, in order.
    mutating func append(_ bytes: ArraySlice<UInt8>)
    /// The next complete record, or nil until more bytes arrive.
    mutating func next() -> SplitRecord?
    /// At the end of a stream that will not grow: the incomplete tail, when the splitter delivers it.
    mutating func finish() -> SplitRecord?
}

/// Options every splitter shares (Heka's common splitter parameters).
public struct SplitterLimits: Sendable, Equatable {
    /// The longest record; longer ones are truncated (`keepTruncated`) or dropped.
    public var maxRecordSize: Int
    /// Deliver the first `maxRecordSize` bytes of an over-long record, flagged, instead of dropping it.
    public var keepTruncated: Bool
    /// Deliver bytes left after the last delimiter when the stream ends.
    public var deliverIncompleteFinal: Bool

    public init(maxRecordSize: Int = 64 * 1024, keepTruncated: Bool = false, deliverIncompleteFinal: Bool = false) {
        self.maxRecordSize = maxRecordSize
        self.keepTruncated = keepTruncated
        self.deliverIncompleteFinal = deliverIncompleteFinal
    }
}
