import RunnelCore

/// Splits where a regular expression matches (Heka's RegexSplitter).
///
/// Without a capture group the whole match separates records and belongs to neither. With one
/// group, `delimiterAtEnd` (Heka's `delimiter_eol`, the default) ends the record just after the
/// captured text (the rest of the match is dropped); otherwise the record ends where the match
/// starts and the captured text begins the next record (text between the match start and the
/// capture is dropped). In both cases `SplitRecord.content` is exactly the record's text, and the
/// dropped bytes are its `delimiterLength`.
///
/// A match that more bytes could change (`\n+` at the end of what has been read) waits for them,
/// so records do not depend on how the stream was chunked (Heka took what had arrived); at the
/// end of the stream it is taken as it is. Over-long records follow
/// `TokenSplitter`: truncated (`keepTruncated`) or dropped and counted, memory bounded by
/// `maxRecordSize` plus one read.
public struct RegexSplitter: Splitter {
    public let delimiter: RegexPattern
    public let delimiterAtEnd: Bool
    public var limits: SplitterLimits { overlong.limits }
    public var droppedOverlong: Int { overlong.dropped }
    private var overlong: OverlongRecords

    private var buffer: [UInt8] = []
    /// Start of the current record in `buffer`.
    private var start = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset: Int64
    /// Where the text searched for the next delimiter starts (so `^` anchors there): the record's
    /// start, or past a captured delimiter that begins the record.
    private var searchFrom = 0
    /// Where searching resumes within that text: bytes before it are known to start no match,
    /// so a record arriving in many small reads is not searched again from its start each time.
    private var resumeAt = 0
    /// Skipping the rest of an over-long record; `kept` holds its truncated head if it is delivered.
    private var skipping: Skipped?

    private struct Skipped {
        var kept: [UInt8]?
    }

    /// While skipping an over-long record, this many trailing bytes stay buffered so a delimiter
    /// arriving split across two reads is still found.
    static let skippedTailKept = 4096

    public init(delimiter: RegexPattern, delimiterAtEnd: Bool = true, limits: SplitterLimits = SplitterLimits(),
                startOffset: Int64 = 0) {
        self.delimiter = delimiter
        self.delimiterAtEnd = delimiterAtEnd
        self.overlong = OverlongRecords(limits: limits)
        self.bufferOffset = startOffset
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        if start > 0 && (start == buffer.count || start >= 64 * 1024) {
            buffer.removeFirst(start)
            bufferOffset += Int64(start)
            searchFrom -= start
            resumeAt -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func next() -> SplitRecord? {
        while let cut = findCut() {
            let endOffset = bufferOffset + Int64(cut.consumedEnd)
            let recordStart = start
            start = cut.consumedEnd
            searchFrom = cut.nextSearchFrom
            resumeAt = cut.nextSearchFrom
            if let skip = skipping {
                skipping = nil
                if let kept = skip.kept { return SplitRecord(bytes: kept, endOffset: endOffset, truncated: true) }
                overlong.noteDropped()
                continue
            }
            // A captured delimiter at the very start of the stream leaves nothing before it.
            if cut.consumedEnd == recordStart { continue }
            if cut.contentEnd - recordStart > limits.maxRecordSize {
                if limits.keepTruncated {
                    let head = Array(copying: buffer[recordStart..<(recordStart + limits.maxRecordSize)])
                    return SplitRecord(bytes: head, endOffset: endOffset, truncated: true)
                }
                overlong.noteDropped()
                continue
            }
            return SplitRecord(bytes: Array(copying: buffer[recordStart..<cut.consumedEnd]), endOffset: endOffset,
                               delimiterLength: cut.consumedEnd - cut.contentEnd)
        }
        handleOverlongPrefix()
        return nil
    }

    /// Bytes held right now (bounded by the record limit plus one read; tests check it).
    var bufferedByteCount: Int { buffer.count }

    public mutating func takeDiscarded() -> [String: Int] {
        overlong.takeDiscarded()
    }

    public mutating func finish() -> SplitRecord? {
        defer {
            bufferOffset += Int64(buffer.count)
            buffer.removeAll()
            start = 0
            searchFrom = 0
            resumeAt = 0
        }
        if skipping == nil, let cut = findCut(atEnd: true), cut.consumedEnd > start,
           cut.contentEnd - start <= limits.maxRecordSize {
            // A delimiter that could have grown with more bytes was left for later; it is final now.
            return SplitRecord(bytes: Array(buffer[start..<cut.consumedEnd]), endOffset: bufferOffset + Int64(cut.consumedEnd),
                               delimiterLength: cut.consumedEnd - cut.contentEnd)
        }
        let skip = skipping
        skipping = nil
        return overlong.finalRecord(skipping: skip != nil, kept: skip?.kept, pending: buffer[start...],
                                    endOffset: bufferOffset + Int64(buffer.count))
    }

    /// Where the current record ends: its text ends at `contentEnd`, the bytes up to
    /// `consumedEnd` are used up, and the search for the following delimiter starts at `nextSearchFrom`.
    private struct Cut {
        var contentEnd: Int
        var consumedEnd: Int
        var nextSearchFrom: Int
    }

    /// `atEnd`: the stream will not grow, so a match touching the end is final.
    private mutating func findCut(atEnd: Bool = false) -> Cut? {
        // The subject starts at the search base, so `^` anchors there as it did in Heka.
        let base = max(searchFrom, start)
        var from = max(resumeAt, base)
        while from < buffer.count {
            let subject = buffer[base...]
            let result = atEnd ? delimiter.firstMatch(in: subject, from: from - base).map { .found($0) } ?? .notFound
                : delimiter.search(in: subject, from: from - base)
            guard case .found(let match) = result else {
                // With nothing found, not even the start of a match, no match begins before the
                // end: later bytes cannot change attempts that failed before reaching it.
                if result == .notFound, !atEnd { resumeAt = buffer.count }
                return nil
            }
            let matchStart = base + match.range.lowerBound
            let matchEnd = base + match.range.upperBound
            if matchEnd == matchStart {
                // An empty match separates nothing; look again one byte further.
                from = matchStart + 1
                continue
            }
            guard let group = match.groups.first ?? nil else {
                return Cut(contentEnd: matchStart, consumedEnd: matchEnd, nextSearchFrom: matchEnd)
            }
            let captureStart = base + group.lowerBound
            let captureEnd = base + group.upperBound
            if delimiterAtEnd {
                return Cut(contentEnd: captureEnd, consumedEnd: matchEnd, nextSearchFrom: matchEnd)
            }
            return Cut(contentEnd: matchStart, consumedEnd: captureStart, nextSearchFrom: captureEnd)
        }
        return nil
    }

    /// Without a delimiter in sight, a record past the limit must not keep growing the buffer.
    private mutating func handleOverlongPrefix() {
        let pending = buffer.count - start
        if skipping == nil {
            guard pending > limits.maxRecordSize else { return }
            skipping = Skipped(kept: limits.keepTruncated ? Array(buffer[start..<(start + limits.maxRecordSize)]) : nil)
        }
        let keep = min(pending, Self.skippedTailKept)
        start = buffer.count - keep
        searchFrom = start
        resumeAt = start
    }
}
