/// A place in a disk queue: a segment file and a byte offset in it. Positions order like the
/// queue: by segment, then by offset.
public struct DiskPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var segment: UInt64
    public var offset: Int64

    public init(segment: UInt64, offset: Int64) {
        self.segment = segment
        self.offset = offset
    }

    public static func < (lhs: DiskPosition, rhs: DiskPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }

    public var description: String { "\(DiskQueueFiles.segmentFileName(segment))@\(offset)" }
}
