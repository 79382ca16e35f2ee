import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A skipped region of a segment: corruption found while reading (docs/disk-queue.md).
public struct DiskQueueDamage: Sendable, Equatable, CustomStringConvertible {
    public var segment: UInt64
    public var offset: Int64
    public var bytes: Int64
    public var reason: String

    public var description: String {
        "\(DiskQueueFiles.segmentFileName(segment)) offset \(offset): \(bytes) bytes skipped (\(reason))"
    }
}

/// One read from the queue: messages in order, damage skipped on the way, and the ticket that
/// confirms them.
public struct DiskQueueRead: Sendable {
    public var messages: [Message]
    public var damage: [DiskQueueDamage]
    public var ticket: DiskQueueTicket
}

/// Confirms one read: the cursor moves past it once it and every earlier read are settled.
public struct DiskQueueTicket: Sendable, Hashable {
    let commit: OrderedCommits<DiskPosition>.Ticket
    /// Records the read covered (messages and damaged regions), for `cursor_update_count`.
    let records: Int
}

public struct DiskQueueStats: Sendable, Equatable {
    /// Bytes of all segment files (what `max_buffer_size` bounds).
    public var bytesOnDisk: Int64
    public var segments: Int
    /// Bytes appended and not yet confirmed.
    public var unconfirmedBytes: Int64
    /// Confirmed in memory; the cursor file follows it every `cursor_update_count` records.
    public var confirmed: DiskPosition
    public var savedCursor: DiskPosition
    public var writeEnd: DiskPosition
}

/// A persistent FIFO of messages for one filter or output (`use_buffering`, DESIGN §6).
///
/// Appends go to the newest segment and are durable (fdatasync) when `append` returns; reads
/// hand out what was appended, in order, in bounded chunks; the cursor (the position every record
/// before which was confirmed) is written atomically every `cursor_update_count` confirmed
/// records, and segments wholly before it are deleted. After a restart, reading resumes at the
/// saved cursor, so what was not confirmed is read again (at least once).
///
/// Thread safety: one appending thread, one reading thread and any number of settling threads
/// may use a queue at once; every call does blocking file I/O and belongs off the cooperative pool.
public final class DiskQueue: Sendable {
    public let settings: DiskQueueSettings
    public var folder: String { files.folder }
    let files: DiskQueueFiles
    let logger: Logger
    private let lockDescriptor: Int32
    // Lock order: writer or reader or saver first, then table; table never takes another lock.
    private let writer: Mutex<SegmentWriter>
    private let reader: Mutex<ReaderState>
    private let saver: Mutex<DiskPosition>
    private let table: Mutex<SegmentTable>
    private let commits = OrderedCommits<DiskPosition>()

    struct SegmentWriter {
        var descriptor: Int32
        var segment: UInt64
        var size: Int64
    }

    struct ReaderState {
        var position: DiskPosition
        var scanner: SegmentScanner?
    }

    /// What is durably on disk, shared by the writer, the reader and the cursor.
    struct SegmentTable {
        /// Durable bytes of every segment present, the active one included.
        var sizes: [UInt64: Int64]
        var active: UInt64
        var bytesOnDisk: Int64
        var confirmed: DiskPosition
        /// A copy of what the cursor file holds, readable without waiting for a cursor write.
        var savedCursor: DiskPosition
        var settledSinceSave = 0

        var writeEnd: DiskPosition { DiskPosition(segment: active, offset: sizes[active] ?? 0) }

        func segment(after segment: UInt64) -> UInt64? {
            sizes.keys.filter { $0 > segment }.min()
        }

        /// `position` moved off the end of finished segments onto the start of the next one.
        func normalised(_ position: DiskPosition) -> DiskPosition {
            var position = position
            while position.segment != active, position.offset >= sizes[position.segment] ?? 0,
                  let next = segment(after: position.segment) {
                position = DiskPosition(segment: next, offset: 0)
            }
            return position
        }
    }

    init(files: DiskQueueFiles, settings: DiskQueueSettings, logger: Logger, lockDescriptor: Int32,
         recovered: DiskQueueRecovery.State, appendDescriptor: Int32) {
        self.files = files
        self.settings = settings
        self.logger = logger
        self.lockDescriptor = lockDescriptor
        let activeSize = recovered.sizes[recovered.active] ?? 0
        writer = Mutex(SegmentWriter(descriptor: appendDescriptor, segment: recovered.active, size: activeSize))
        reader = Mutex(ReaderState(position: recovered.cursor, scanner: nil))
        saver = Mutex(recovered.savedCursor)
        table = Mutex(SegmentTable(sizes: recovered.sizes, active: recovered.active,
                                   bytesOnDisk: recovered.sizes.values.reduce(0, +), confirmed: recovered.cursor,
                                   savedCursor: recovered.savedCursor))
    }

    // MARK: appending

    /// True when `bytes` more may be appended under `max_buffer_size`. An empty queue takes
    /// anything when `emptyTakesAnything`, so one batch larger than the limit cannot wedge it.
    public func hasRoom(for bytes: Int, emptyTakesAnything: Bool = true) -> Bool {
        guard settings.maxBufferSize > 0 else { return true }
        return table.withLock { table in
            (emptyTakesAnything && table.bytesOnDisk == 0) || table.bytesOnDisk + Int64(bytes) <= Int64(settings.maxBufferSize)
        }
    }

    /// Appends the batches' records in order, rotating segments at `max_file_size`, and makes
    /// them durable before returning. On failure nothing of the call remains on disk.
    public func append(_ batches: [DiskRecordBatch]) throws(DiskQueueError) {
        try writer.withLock { (writer: inout SegmentWriter) throws(DiskQueueError) in
            let before = writer
            var created: [UInt64] = []
            var finished: [(segment: UInt64, size: Int64)] = []
            do throws(DiskQueueError) {
                for batch in batches {
                    try write(batch, with: &writer, created: &created, finished: &finished)
                }
                try SegmentIO.sync(writer.descriptor, path: files.segmentPath(writer.segment))
            } catch {
                rollBack(&writer, to: before, created: created)
                throw error
            }
            let (segment, size) = (writer.segment, writer.size)
            table.withLock { table in
                for (done, doneSize) in finished + [(segment, size)] {
                    table.bytesOnDisk += doneSize - (table.sizes[done] ?? 0)
                    table.sizes[done] = doneSize
                }
                table.active = segment
            }
        }
    }

    private func write(_ batch: DiskRecordBatch, with writer: inout SegmentWriter, created: inout [UInt64],
                       finished: inout [(segment: UInt64, size: Int64)]) throws(DiskQueueError) {
        let rotation = Int64(settings.rotationBytes)
        var runStart = 0
        var recordStart = 0
        for recordEnd in batch.recordEnds {
            let run = Int64(recordStart - runStart)
            if writer.size + run > 0 && writer.size + run + Int64(recordEnd - recordStart) > rotation {
                try writeRun(batch.bytes, runStart..<recordStart, with: &writer)
                finished.append((writer.segment, writer.size))
                try startSegment(after: &writer)
                created.append(writer.segment)
                runStart = recordStart
            }
            recordStart = recordEnd
        }
        try writeRun(batch.bytes, runStart..<recordStart, with: &writer)
    }

    private func writeRun(_ bytes: [UInt8], _ range: Range<Int>, with writer: inout SegmentWriter) throws(DiskQueueError) {
        guard !range.isEmpty else { return }
        let descriptor = writer.descriptor
        let path = files.segmentPath(writer.segment)
        // Array.withUnsafeBytes only rethrows untyped errors; the Result keeps the type.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(DiskQueueError) in
                try SegmentIO.writeAll(UnsafeRawBufferPointer(rebasing: raw[range]), to: descriptor, path: path)
            }
        }.get()
        writer.size += Int64(range.count)
    }

    /// Finishes the current segment (durable) and opens the next one.
    private func startSegment(after writer: inout SegmentWriter) throws(DiskQueueError) {
        try SegmentIO.sync(writer.descriptor, path: files.segmentPath(writer.segment))
        let next = writer.segment + 1
        let descriptor = try SegmentIO.openForAppend(files.segmentPath(next))
        files.syncFolder()
        Glibc.close(writer.descriptor)
        writer = SegmentWriter(descriptor: descriptor, segment: next, size: 0)
    }

    /// Undoes a failed append: segments it created go, the active one is cut back to what was durable.
    private func rollBack(_ writer: inout SegmentWriter, to before: SegmentWriter, created: [UInt64]) {
        let path = files.segmentPath(before.segment)
        do throws(DiskQueueError) {
            if writer.segment != before.segment {
                Glibc.close(writer.descriptor)
                for segment in created { try files.removeSegment(segment) }
                writer = SegmentWriter(descriptor: try SegmentIO.openForAppend(path), segment: before.segment, size: before.size)
            }
            try SegmentIO.truncate(path, to: before.size)
            writer.size = before.size
        } catch {
            logger.error("disk queue cannot undo a failed append", metadata: ["folder": "\(folder)", "error": "\(error)"])
        }
    }

    // MARK: reading

    /// The next messages after the last read (up to `maxMessages`, or until their estimated
    /// memory reaches `maxBytes`); nil when everything appended has been read.
    public func read(maxMessages: Int, maxBytes: Int) throws(DiskQueueError) -> DiskQueueRead? {
        try reader.withLock { (state: inout ReaderState) throws(DiskQueueError) -> DiskQueueRead? in
            var messages: [Message] = []
            var damage: [DiskQueueDamage] = []
            var bytes = 0
            while messages.count < maxMessages && bytes < maxBytes {
                let segment = state.position.segment
                let (limit, isActive, next) = table.withLock { ($0.sizes[segment], $0.active == segment, $0.segment(after: segment)) }
                guard let limit else {
                    guard let next else { break }
                    moveReader(&state, to: DiskPosition(segment: next, offset: 0))
                    continue
                }
                if state.position.offset >= limit {
                    guard !isActive, let next else { break }
                    moveReader(&state, to: DiskPosition(segment: next, offset: 0))
                    continue
                }
                if state.scanner?.segment != segment {
                    state.scanner?.close()
                    state.scanner = try SegmentScanner(segment: segment, path: files.segmentPath(segment),
                                                       chunkBytes: settings.readChunkBytes, maxPayload: settings.maxRecordBytes)
                }
                switch try state.scanner!.next(at: state.position.offset, limit: limit) {
                case .record(_, let end, let payload):
                    do {
                        let message = try state.scanner!.withWindow(payload) { raw throws(ProtobufDecodingError) in
                            try MessageProtobuf.decode(raw)
                        }
                        bytes += message.estimatedByteSize
                        messages.append(message)
                    } catch {
                        damage.append(DiskQueueDamage(segment: segment, offset: state.position.offset,
                                                      bytes: end - state.position.offset, reason: "undecodable message: \(error)"))
                    }
                    state.position.offset = end
                case .damaged(let start, let end, let reason):
                    damage.append(DiskQueueDamage(segment: segment, offset: start, bytes: end - start, reason: reason))
                    state.position.offset = end
                case .end:
                    state.position.offset = limit
                }
            }
            guard !messages.isEmpty || !damage.isEmpty else { return nil }
            for region in damage {
                logger.error("disk queue record damaged; skipped", metadata: ["folder": "\(folder)", "damage": "\(region)"])
            }
            let ticket = commits.begin(stream: "", position: state.position)
            return DiskQueueRead(messages: messages, damage: damage,
                                 ticket: DiskQueueTicket(commit: ticket, records: messages.count + damage.count))
        }
    }

    private func moveReader(_ state: inout ReaderState, to position: DiskPosition) {
        state.scanner?.close()
        state.scanner = nil
        state.position = position
    }

    // MARK: confirming

    /// Marks a read as handled (delivered or dropped by the plugin). Returns true when the cursor
    /// file is due (`cursor_update_count` records settled since it was written).
    @discardableResult
    public func settle(_ ticket: DiskQueueTicket) -> Bool {
        let moved = commits.settle(ticket.commit)
        return table.withLock { table in
            if let moved, moved > table.confirmed { table.confirmed = moved }
            table.settledSinceSave += ticket.records
            return table.settledSinceSave >= max(1, settings.cursorUpdateCount)
        }
    }

    /// Reads handed out that the cursor has not passed yet: unsettled, or settled after one that is not.
    public var pendingReads: Int { commits.inFlight[""] ?? 0 }

    /// Writes the cursor when it moved, then deletes the segments wholly before it.
    public func saveCursor() throws(DiskQueueError) {
        try saver.withLock { (saved: inout DiskPosition) throws(DiskQueueError) in
            let (cursor, consumed) = table.withLock { table in
                let cursor = table.normalised(table.confirmed)
                return (cursor, table.sizes.keys.filter { $0 < cursor.segment })
            }
            if cursor != saved {
                try files.saveCursor(cursor)
                saved = cursor
                table.withLock { table in
                    table.settledSinceSave = 0
                    table.savedCursor = cursor
                }
            }
            guard !consumed.isEmpty else { return }
            for segment in consumed.sorted() {
                try files.removeSegment(segment)
                table.withLock { table in
                    table.bytesOnDisk -= table.sizes.removeValue(forKey: segment) ?? 0
                }
            }
            files.syncFolder()
        }
    }

    /// Gives back the space of consumed segments: saves the cursor when that lets a segment go,
    /// and when everything appended has been confirmed, starts a fresh segment so that the last
    /// one can go as well. Does nothing (no write) when no space would come back.
    public func reclaimSpace() throws(DiskQueueError) {
        let (consumed, freesSegment) = table.withLock { table in
            let cursor = table.normalised(table.confirmed)
            return (cursor == table.writeEnd && cursor.offset > 0, cursor.segment > (table.sizes.keys.min() ?? cursor.segment))
        }
        guard consumed || freesSegment else { return }
        if consumed {
            try writer.withLock { (writer: inout SegmentWriter) throws(DiskQueueError) in
                // Checked again under the writer's lock: an append may have come in between.
                let stillConsumed = table.withLock { $0.normalised($0.confirmed) == $0.writeEnd && $0.writeEnd.offset > 0 }
                guard stillConsumed else { return }
                try startSegment(after: &writer)
                let segment = writer.segment
                table.withLock { table in
                    table.sizes[segment] = 0
                    table.active = segment
                }
            }
        }
        try saveCursor()
    }

    public var stats: DiskQueueStats {
        table.withLock { table in
            var unconfirmed: Int64 = 0
            for (segment, size) in table.sizes where segment >= table.confirmed.segment {
                unconfirmed += segment == table.confirmed.segment ? max(0, size - table.confirmed.offset) : size
            }
            return DiskQueueStats(bytesOnDisk: table.bytesOnDisk, segments: table.sizes.count, unconfirmedBytes: unconfirmed,
                                  confirmed: table.confirmed, savedCursor: table.savedCursor, writeEnd: table.writeEnd)
        }
    }

    /// Saves the cursor and releases the files; the queue must not be used afterwards.
    public func close() {
        do {
            try saveCursor()
        } catch {
            logger.error("disk queue cannot save its cursor", metadata: ["folder": "\(folder)", "error": "\(error)"])
        }
        _ = writer.withLock { Glibc.close($0.descriptor) }
        reader.withLock { state in moveReader(&state, to: state.position) }
        Glibc.close(lockDescriptor)
    }

    /// Releases the files without saving the cursor, as a crash would: what was confirmed since
    /// the last cursor write is read again after reopening.
    func abandon() {
        _ = writer.withLock { Glibc.close($0.descriptor) }
        reader.withLock { state in moveReader(&state, to: state.position) }
        Glibc.close(lockDescriptor)
    }
}
