import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Brings a queue folder to a consistent state when it is opened: segments the saved cursor is
/// past are removed (a crash came between writing the cursor and deleting them), the cursor is
/// moved onto a segment that exists, and a torn tail at the end of the newest segment (a crash
/// in the middle of an append, never acknowledged) is cut off so appends continue after the last
/// sound record. Damage in the middle of a segment stays: the reader skips and counts it.
enum DiskQueueRecovery {
    struct State {
        var sizes: [UInt64: Int64]
        var active: UInt64
        var cursor: DiskPosition
        /// What the cursor file says (a position no cursor can take when there is none).
        var savedCursor: DiskPosition
    }

    static func recover(_ files: DiskQueueFiles, settings: DiskQueueSettings, logger: Logger) throws(DiskQueueError) -> State {
        var segments = try files.segments()
        let saved = files.loadCursor()
        var cursor = saved ?? DiskPosition(segment: segments.first ?? 1, offset: 0)
        for segment in segments where segment < cursor.segment {
            try files.removeSegment(segment)
        }
        segments.removeAll { $0 < cursor.segment }
        if segments.isEmpty {
            let fresh = max(cursor.segment, 1)
            close(try SegmentIO.openForAppend(files.segmentPath(fresh)))
            files.syncFolder()
            segments = [fresh]
            cursor = DiskPosition(segment: fresh, offset: 0)
        } else if let first = segments.first, first > cursor.segment {
            logger.warning("disk queue cursor names a missing segment; reading from the next one",
                           metadata: ["folder": "\(files.folder)", "cursor": "\(cursor)"])
            cursor = DiskPosition(segment: first, offset: 0)
        }
        var sizes: [UInt64: Int64] = [:]
        for segment in segments { sizes[segment] = try SegmentIO.size(files.segmentPath(segment)) }

        let active = segments[segments.count - 1]
        let size = sizes[active] ?? 0
        let scanFrom = cursor.segment == active ? min(cursor.offset, size) : 0
        let end = try soundEnd(of: active, path: files.segmentPath(active), from: scanFrom, size: size, settings: settings)
        if end < size {
            logger.warning("disk queue segment ends with an incomplete record (a crash during an append); cut off",
                           metadata: ["segment": "\(files.segmentPath(active))", "offset": "\(end)", "bytes": "\(size - end)"])
            try SegmentIO.truncate(files.segmentPath(active), to: end)
            sizes[active] = end
        }
        if let cursorSize = sizes[cursor.segment], cursor.offset > cursorSize {
            logger.warning("disk queue cursor lies past the end of its segment; reading from that end",
                           metadata: ["folder": "\(files.folder)", "cursor": "\(cursor)"])
            cursor.offset = cursorSize
        }
        return State(sizes: sizes, active: active, cursor: cursor,
                     savedCursor: saved ?? DiskPosition(segment: 0, offset: -1))
    }

    /// The end of the last sound record of a segment, scanning from `offset` (a record boundary).
    static func soundEnd(of segment: UInt64, path: String, from offset: Int64, size: Int64,
                         settings: DiskQueueSettings) throws(DiskQueueError) -> Int64 {
        var scanner = try SegmentScanner(segment: segment, path: path, chunkBytes: settings.readChunkBytes,
                                         maxPayload: settings.maxRecordBytes)
        defer { scanner.close() }
        var position = offset
        var soundEnd = offset
        while true {
            switch try scanner.next(at: position, limit: size) {
            case .record(_, let end, _):
                soundEnd = end
                position = end
            case .damaged(_, let end, _):
                position = end
            case .end:
                return soundEnd
            }
        }
    }
}

extension DiskQueue {
    /// Opens (creating if needed) the queue in `folder`, recovering from a crash if there was one.
    public static func open(folder: String, settings: DiskQueueSettings,
                            logger: Logger = Logger(label: "runnel.diskqueue")) throws(DiskQueueError) -> DiskQueue {
        do {
            try CheckpointStore.makeDirectory(folder)
        } catch {
            throw DiskQueueError(error.operation, path: error.path, detail: String(cString: strerror(error.errno)))
        }
        let files = DiskQueueFiles(folder: folder)
        let lock = try files.lock()
        do throws(DiskQueueError) {
            let state = try DiskQueueRecovery.recover(files, settings: settings, logger: logger)
            let descriptor = try SegmentIO.openForAppend(files.segmentPath(state.active))
            return DiskQueue(files: files, settings: settings, logger: logger, lockDescriptor: lock,
                             recovered: state, appendDescriptor: descriptor)
        } catch {
            Glibc.close(lock)
            throw error
        }
    }
}
