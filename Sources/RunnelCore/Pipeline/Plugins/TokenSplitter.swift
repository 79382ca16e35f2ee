/// Splits on a delimiter byte (Heka's TokenSplitter): by default one record per line. The delimiter
/// stays at the end of each record, as in Heka. `count` delimiters make one record.
///
/// Over-long records: the first `maxRecordSize` bytes are kept when `keepTruncated` (the record is
/// flagged), the rest of that record is skipped up to its delimiter; otherwise the whole record is
/// skipped and counted in `droppedOverlong`. Memory stays bounded by `maxRecordSize` either way.
public struct TokenSplitter: Splitter {
    public let delimiter: UInt8
    public let count: Int
    public var limits: SplitterLimits { overlong.limits }
    public var droppedOverlong: Int { overlong.dropped }
    private var overlong: OverlongRecords

    private var buffer: [UInt8] = []
    private var start = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset: Int64
    /// Where the delimiter search resumes (bytes before it hold no delimiter of the current record).
    private var scanFrom = 0
    private var delimitersSeen = 0
    /// Skipping the rest of an over-long record; `kept` holds its truncated head if it is delivered.
    private var skipping: (kept: [UInt8]?, seen: Int)?

    public init(delimiter: UInt8 = 0x0A, count: Int = 1, limits: SplitterLimits = SplitterLimits(), startOffset: Int64 = 0) {
        self.delimiter = delimiter
        self.count = max(1, count)
        self.overlong = OverlongRecords(limits: limits)
        self.bufferOffset = startOffset
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        if start > 0 && (start == buffer.count || start >= 64 * 1024) {
            buffer.removeFirst(start)
            bufferOffset += Int64(start)
            scanFrom -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func next() -> SplitRecord? {
        while true {
            guard let end = findRecordEnd() else {
                handleOverlongPrefix()
                return nil
            }
            let endOffset = bufferOffset + Int64(end)
            if var skip = skipping {
                skipping = nil
                skip.seen += end - start
                start = end
                scanFrom = end
                if let kept = skip.kept {
                    return SplitRecord(bytes: kept, endOffset: endOffset, truncated: true)
                }
                overlong.noteDropped()
                continue
            }
            let length = end - start
            if length > limits.maxRecordSize {
                let head = Array(copying: buffer[start..<(start + limits.maxRecordSize)])
                start = end
                scanFrom = end
                if limits.keepTruncated { return SplitRecord(bytes: head, endOffset: endOffset, truncated: true) }
                overlong.noteDropped()
                continue
            }
            let record = SplitRecord(bytes: Array(copying: buffer[start..<end]), endOffset: endOffset, delimiterLength: 1)
            start = end
            scanFrom = end
            return record
        }
    }

    public mutating func takeDiscarded() -> [String: Int] {
        overlong.takeDiscarded()
    }

    public mutating func finish() -> SplitRecord? {
        defer {
            bufferOffset += Int64(buffer.count)
            buffer.removeAll()
            start = 0
            scanFrom = 0
            delimitersSeen = 0
        }
        let skip = skipping
        skipping = nil
        return overlong.finalRecord(skipping: skip != nil, kept: skip?.kept, pending: buffer[start...],
                                    endOffset: bufferOffset + Int64(buffer.count))
    }

    /// Index just past the `count`-th delimiter of the current record, if buffered.
    private mutating func findRecordEnd() -> Int? {
        var index = max(scanFrom, start)
        while let found = buffer.withUnsafeBytes({ $0.indexOfByte(delimiter, from: index) }) {
            delimitersSeen += 1
            index = found + 1
            if delimitersSeen == count {
                delimitersSeen = 0
                return index
            }
        }
        scanFrom = buffer.count
        return nil
    }

    /// Without a delimiter in sight, a record past the limit must not keep growing the buffer.
    private mutating func handleOverlongPrefix() {
        let pending = buffer.count - start
        guard pending > limits.maxRecordSize || (skipping != nil && pending > 0) else { return }
        if skipping == nil {
            let kept = limits.keepTruncated ? Array(copying: buffer[start..<(start + limits.maxRecordSize)]) : nil
            skipping = (kept, 0)
        }
        skipping!.seen += pending
        start = buffer.count
        scanFrom = buffer.count
    }
}
