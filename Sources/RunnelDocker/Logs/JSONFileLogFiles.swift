import RunnelCore
#if canImport(Glibc)
import Glibc
#endif

/// Where to start reading a container's `json-file` log for a resume point. With `max-file`,
/// Docker rotates `<id>-json.log` to `.1`, `.1` to `.2` and so on; records in every file are in
/// time order, so the start is the newest file whose first record is not after the resume point,
/// and inside it the last probe position before that point (a binary search on record times).
/// Compressed rotations (`.gz`, `compress=true`) are not read.
enum JSONFileLogFiles {
    /// How far before the resume time reading starts: the two streams' records are written by
    /// separate copiers, so times of neighbouring records can be slightly out of order.
    static let safetyMargin: Int64 = 5_000_000_000
    static let maxRotations = 64

    /// The files to read oldest first, and the offset in the first one to start at.
    static func plan(livePath: String, since: Int64?) -> (files: [String], startOffset: Int64) {
        var rotated: [String] = []
        for index in 1...maxRotations {
            let path = livePath + ".\(index)"
            guard statPath(path) != nil else { break }
            rotated.append(path)
        }
        let oldestFirst = rotated.reversed() + [livePath]
        guard let since else { return (oldestFirst, 0) }
        let target = since - safetyMargin
        // The newest file starting at or before the target; the oldest one when none does.
        var startIndex = 0
        for (index, path) in oldestFirst.enumerated().reversed() {
            if let first = firstRecordTime(path), first <= target {
                startIndex = index
                break
            }
        }
        let files = Array(oldestFirst[startIndex...])
        guard let file = TailedFile(path: files[0], startOffset: 0) else { return (files, 0) }
        return (files, offset(in: file, before: target))
    }

    static func firstRecordTime(_ path: String) -> Int64? {
        guard let file = TailedFile(path: path, startOffset: 0) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 128 * 1024)
        let bytes = file.read(at: 0, into: &buffer)
        return bytes.withUnsafeBytes { JSONFileLogDecoder.firstRecordTime(in: $0, atStart: true) }
    }

    /// A record boundary at which every record of the file stamped at or after `target` is still
    /// ahead: a binary search over probe positions, each reading the first record after a newline.
    static func offset(in file: TailedFile, before target: Int64) -> Int64 {
        var low: Int64 = 0
        var high = file.size
        var buffer = [UInt8](repeating: 0, count: 128 * 1024)
        while high - low > Int64(buffer.count) {
            let middle = low + (high - low) / 2
            let bytes = file.read(at: middle, into: &buffer)
            let found: (time: Int64, skip: Int)? = bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, let found = memchr(base, 0x0A, raw.count) else { return nil }
                let newline = UnsafeRawPointer(found) - base
                let rest = UnsafeRawBufferPointer(rebasing: raw[(newline + 1)...])
                return JSONFileLogDecoder.firstRecordTime(in: rest, atStart: true).map { ($0, newline + 1) }
            }
            guard let found else { break }
            if found.time < target {
                low = middle + Int64(found.skip)
            } else {
                high = middle
            }
        }
        return low
    }
}
