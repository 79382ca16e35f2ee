/// A record cut from an input's byte stream, with where it ends (the checkpoint position once it
/// is delivered) and whether it was cut short at the size limit.
public struct SplitRecord: Sendable, Equatable {
    public var bytes: [UInt8]
    /// Stream offset just past the record (and its delimiter).
    public var endOffset: Int64
    /// The record was longer than the limit and holds only its first bytes.
    public var truncated: Bool
    /// How many trailing bytes are the delimiter that ended the record (not part of its content).
    public var delimiterLength: Int

    public init(bytes: [UInt8], endOffset: Int64, truncated: Bool = false, delimiterLength: Int = 0) {
        self.bytes = bytes
        self.endOffset = endOffset
        self.truncated = truncated
        self.delimiterLength = delimiterLength
    }

    /// The record without its delimiter (and without a carriage return before a newline).
    public var content: ArraySlice<UInt8> {
        var end = bytes.count - min(delimiterLength, bytes.count)
        if delimiterLength > 0, bytes.last == 0x0A, end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        return bytes[0..<end]
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
    /// Records discarded since the last call, by reason (over-long records, corrupt frames), so the
    /// input can count them as dropped.
    mutating func takeDiscarded() -> [String: Int]
}

extension Splitter {
    public mutating func takeDiscarded() -> [String: Int] { [:] }
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
