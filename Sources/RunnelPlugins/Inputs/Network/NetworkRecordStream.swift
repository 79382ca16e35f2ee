import RunnelCore

/// Turns the bytes of one network stream (a TCP connection, or datagrams one at a time) into
/// messages: splits them, and either wraps each record as a raw message (Payload = the record) or,
/// for Heka frames with no decoder configured, decodes the framed message (Heka's default
/// ProtobufDecoder). Bad frames, undecodable messages and a lost tail are counted, never fatal.
struct NetworkRecordStream {
    private var splitter: any Splitter
    var builder: RecordMessages
    /// The splitter cuts Heka frames.
    let isFramed: Bool
    let decodesFrames: Bool
    private var tail: IncompleteTailDetector
    private var decodeFailures = 0
    private var incompleteTails = 0
    /// Splitter discards collected while finishing, reported with the next `takeDiscarded()`.
    private var pendingDiscards: [String: Int] = [:]
    private(set) var lastRecordEnd: Int64 = 0

    init(splitter: any Splitter, builder: RecordMessages, decodeFramesWithoutDecoder: Bool) {
        self.splitter = splitter
        self.builder = builder
        isFramed = splitter is HekaFramingSplitter
        decodesFrames = isFramed && decodeFramesWithoutDecoder
        tail = IncompleteTailDetector(for: splitter)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        tail.noteRead(bytes)
        splitter.append(ArraySlice(bytes))
    }

    mutating func nextRecord() -> SplitRecord? {
        guard let record = splitter.next() else { return nil }
        lastRecordEnd = record.endOffset
        tail.noteRecord(endingAt: record.endOffset)
        return record
    }

    /// The message for a record; nil when a framed message does not decode (counted).
    mutating func message(for record: SplitRecord, timestamp: Int64) -> Message? {
        guard decodesFrames else { return builder.message(for: record, timestamp: timestamp) }
        guard let decoded = try? MessageProtobuf.decode(record.bytes) else {
            decodeFailures += 1
            return nil
        }
        return decoded
    }

    /// At the end of the stream (or datagram): the tail record when the splitter delivers it;
    /// otherwise a lost tail is counted.
    mutating func finish() -> SplitRecord? {
        merge(splitter.takeDiscarded())
        defer { tail.reset() }
        if let record = splitter.finish() {
            lastRecordEnd = record.endOffset
            return record
        }
        // A splitter that counted the end itself (a truncated frame, an over-long tail) has
        // already accounted for those bytes.
        let atEnd = splitter.takeDiscarded()
        if atEnd.isEmpty && tail.hasIncompleteTail() { incompleteTails += 1 }
        merge(atEnd)
        return nil
    }

    /// Records lost since the last call, by reason, for `InputContext.noteDiscarded`.
    mutating func takeDiscarded() -> [String: Int] {
        var discarded = pendingDiscards
        pendingDiscards = [:]
        merge(splitter.takeDiscarded(), into: &discarded)
        if decodeFailures > 0 { discarded["decode_failed", default: 0] += decodeFailures }
        if incompleteTails > 0 { discarded["incomplete_final", default: 0] += incompleteTails }
        decodeFailures = 0
        incompleteTails = 0
        return discarded
    }

    private mutating func merge(_ counts: [String: Int]) {
        merge(counts, into: &pendingDiscards)
    }

    private func merge(_ counts: [String: Int], into total: inout [String: Int]) {
        for (reason, count) in counts { total[reason, default: 0] += count }
    }
}
