#if canImport(Glibc)
import Glibc
#endif

/// Walks the records of one segment file through a window of `chunkBytes` (larger only while a
/// single record needs it), so a segment is never held whole in memory.
///
/// Damage is reported, not thrown: a header with a bad magic, a bad header checksum or an
/// impossible length, or a record running past the readable end, is skipped by scanning forward
/// to the next offset holding a valid header; a record whose header is valid but whose payload
/// fails its checksum is skipped by its (checked) length.
struct SegmentScanner {
    enum Item {
        /// A sound record spanning `start..<end`; its payload is at `payload` in the window until
        /// the next call.
        case record(start: Int64, end: Int64, payload: Range<Int>)
        /// Bytes `start..<end` hold no readable record.
        case damaged(start: Int64, end: Int64, reason: String)
        /// Nothing more before the limit.
        case end
    }

    let segment: UInt64
    let path: String
    private let descriptor: Int32
    private let chunkBytes: Int
    private let maxPayload: Int
    private var window: [UInt8] = []
    /// File offset of `window[0]`, and how many window bytes hold file data.
    private var windowStart: Int64 = 0
    private var windowCount = 0

    init(segment: UInt64, path: String, chunkBytes: Int, maxPayload: Int) throws(DiskQueueError) {
        self.segment = segment
        self.path = path
        self.chunkBytes = max(DiskRecord.headerSize * 4, chunkBytes)
        self.maxPayload = maxPayload
        descriptor = try SegmentIO.openForReading(path)
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// The next record or damaged region starting at `offset`, reading no further than `limit`.
    mutating func next(at offset: Int64, limit: Int64) throws(DiskQueueError) -> Item {
        guard offset < limit else { return .end }
        let header = Int64(DiskRecord.headerSize)
        guard limit - offset >= header else { return .damaged(start: offset, end: limit, reason: "truncated header") }
        try load(offset, count: DiskRecord.headerSize, limit: limit)
        let headerAt = Int(offset - windowStart)
        let announced = window.withUnsafeBytes { raw in
            DiskRecord.payloadLength(header: UnsafeRawBufferPointer(rebasing: raw[headerAt..<(headerAt + DiskRecord.headerSize)]),
                                     maxPayload: maxPayload)
        }
        let length: Int
        switch announced {
        case .failure(let problem):
            return .damaged(start: offset, end: try resynchronise(from: offset + 1, limit: limit), reason: problem.rawValue)
        case .success(let value):
            length = value
        }
        let end = offset + header + Int64(length)
        guard end <= limit else {
            return .damaged(start: offset, end: try resynchronise(from: offset + 1, limit: limit),
                            reason: "record of \(length) bytes runs past the end")
        }
        try load(offset, count: DiskRecord.headerSize + length, limit: limit)
        let start = Int(offset - windowStart)
        let payload = (start + DiskRecord.headerSize)..<(start + DiskRecord.headerSize + length)
        let intact = window.withUnsafeBytes { raw in
            DiskRecord.payloadIsIntact(header: UnsafeRawBufferPointer(rebasing: raw[start..<payload.lowerBound]),
                                       payload: UnsafeRawBufferPointer(rebasing: raw[payload]))
        }
        guard intact else { return .damaged(start: offset, end: end, reason: "bad payload checksum") }
        return .record(start: offset, end: end, payload: payload)
    }

    /// Runs `body` over window bytes (a payload range from `next`).
    func withWindow<T>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws(ProtobufDecodingError) -> T) throws(ProtobufDecodingError) -> T {
        try window.withUnsafeBytes { raw in
            Result { () throws(ProtobufDecodingError) in try body(UnsafeRawBufferPointer(rebasing: raw[range])) }
        }.get()
    }

    /// The first offset at or after `from` where a valid header announces a record that ends by
    /// `limit`; `limit` when there is none.
    private mutating func resynchronise(from: Int64, limit: Int64) throws(DiskQueueError) -> Int64 {
        let header = DiskRecord.headerSize
        var scan = from
        while scan + Int64(header) <= limit {
            let span = Int(min(Int64(chunkBytes), limit - scan))
            try load(scan, count: span, limit: limit)
            let base = Int(scan - windowStart)
            let found: Int64? = window.withUnsafeBytes { raw in
                var candidate = base
                while candidate + header <= base + span {
                    if raw[candidate] == DiskRecord.magic[0],
                       case .success(let length) = DiskRecord.payloadLength(
                           header: UnsafeRawBufferPointer(rebasing: raw[candidate..<(candidate + header)]), maxPayload: maxPayload) {
                        let at = windowStart + Int64(candidate)
                        if at + Int64(header + length) <= limit { return at }
                    }
                    candidate += 1
                }
                return nil
            }
            if let found { return found }
            // The next window overlaps this one by a header's length less one byte, so a header
            // straddling the boundary is still seen.
            scan += Int64(span - header + 1)
        }
        return limit
    }

    /// Makes the window hold file bytes `offset..<offset + count`, reading at least a chunk
    /// (never past `limit`) and keeping what it already holds from `offset` on.
    private mutating func load(_ offset: Int64, count: Int, limit: Int64) throws(DiskQueueError) {
        if offset >= windowStart && offset + Int64(count) <= windowStart + Int64(windowCount) { return }
        if offset >= windowStart && offset < windowStart + Int64(windowCount) {
            let keepFrom = Int(offset - windowStart)
            let kept = windowCount - keepFrom
            window.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + keepFrom, kept)
            }
            windowCount = kept
        } else {
            windowCount = 0
        }
        windowStart = offset
        let wanted = Int(min(Int64(max(count, chunkBytes)), limit - offset))
        if window.count < wanted {
            window.append(contentsOf: repeatElement(0, count: wanted - window.count))
        } else if window.count > 4 * chunkBytes && wanted <= chunkBytes && windowCount <= chunkBytes {
            // A large record is behind us: give its memory back.
            window.removeLast(window.count - chunkBytes)
        }
        let got = try SegmentIO.read(descriptor, at: offset + Int64(windowCount), count: max(0, wanted - windowCount),
                                     into: &window, start: windowCount, path: path)
        windowCount += got
        guard windowCount >= count else {
            throw DiskQueueError("read", path: path, detail: "segment ends at \(offset + Int64(windowCount)), before the \(limit) bytes it held")
        }
    }
}
