import Foundation
import Testing
@testable import RunnelCore

/// The disk queue on its own: appends, reads, confirmations, the cursor and replay.
@Suite struct DiskQueueTests {
    typealias Scratch = DiskQueueScratch

    @Test func readsBackWhatWasAppendedInOrderAndResumesAtTheCursorAfterReopening() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let queue = try scratch.open()
        try queue.append([DiskRecordBatch(Scratch.messages(0..<10)), DiskRecordBatch(Scratch.messages(10..<25))])
        let first = try #require(try queue.read(maxMessages: 12, maxBytes: 1 << 20))
        #expect(Scratch.numbers(first.messages) == Array(0..<12))
        #expect(first.messages[3] == Scratch.messages(3..<4)[0])
        queue.settle(first.ticket)
        let second = try #require(try queue.read(maxMessages: 100, maxBytes: 1 << 20))
        #expect(Scratch.numbers(second.messages) == Array(12..<25))
        #expect(try queue.read(maxMessages: 100, maxBytes: 1 << 20) == nil)
        queue.close()  // the second read was never confirmed

        let reopened = try scratch.open()
        #expect(try Scratch.drain(reopened).numbers == Array(12..<25))
        try reopened.append([DiskRecordBatch(Scratch.messages(25..<27))])
        #expect(try Scratch.drain(reopened).numbers == [25, 26])
        reopened.close()
        let third = try scratch.open()
        #expect(try third.read(maxMessages: 100, maxBytes: 1 << 20) == nil)
        third.close()
    }

    @Test func theCursorMovesOnlyPastReadsSettledInOrder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let queue = try scratch.open()
        try queue.append([DiskRecordBatch(Scratch.messages(0..<9))])
        let reads = try (0..<3).map { _ in try #require(try queue.read(maxMessages: 3, maxBytes: 1 << 20)) }
        queue.settle(reads[1].ticket)
        queue.settle(reads[2].ticket)
        #expect(queue.stats.confirmed.offset == 0)
        #expect(queue.pendingReads == 3)
        queue.settle(reads[0].ticket)
        #expect(queue.stats.confirmed == queue.stats.writeEnd)
        #expect(queue.pendingReads == 0)
        queue.close()
    }

    @Test func aCrashReplaysWhatWasNotConfirmedAndWhatTheCursorDidNotRecordYet() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var settings = DiskQueueSettings()
        settings.cursorUpdateCount = 10
        let queue = try scratch.open(settings)
        try queue.append([DiskRecordBatch(Scratch.messages(0..<30))])
        var due: [Bool] = []
        for _ in 0..<3 {
            let read = try #require(try queue.read(maxMessages: 4, maxBytes: 1 << 20))
            due.append(queue.settle(read.ticket))
            if due.last == true { try queue.saveCursor() }
        }
        #expect(due == [false, false, true])  // 4, 8, 12 records since the last cursor write
        let read = try #require(try queue.read(maxMessages: 4, maxBytes: 1 << 20))
        queue.settle(read.ticket)  // confirmed, but the cursor file still says 12
        _ = try queue.read(maxMessages: 4, maxBytes: 1 << 20)  // read, never confirmed
        queue.abandon()

        let reopened = try scratch.open(settings)
        #expect(try Scratch.drain(reopened).numbers == Array(12..<30))
        reopened.close()
    }

    @Test func segmentsRotateAtMaxFileSizeAndConsumedOnesAreDeleted() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let record = Scratch.recordSize()
        var settings = DiskQueueSettings()
        settings.maxFileSize = record * 4
        let queue = try scratch.open(settings)
        try queue.append([DiskRecordBatch(Scratch.messages(0..<10)), DiskRecordBatch(Scratch.messages(10..<18))])
        #expect(try scratch.segmentFiles() == ["0000000001.log", "0000000002.log", "0000000003.log",
                                               "0000000004.log", "0000000005.log"])
        #expect(queue.stats.bytesOnDisk == Int64(18 * record))
        for name in try scratch.segmentFiles().dropLast() {
            #expect(try SegmentIO.size(scratch.queueFolder + "/" + name) == Int64(record * 4))
        }

        let first = try #require(try queue.read(maxMessages: 9, maxBytes: 1 << 20))
        #expect(Scratch.numbers(first.messages) == Array(0..<9))
        queue.settle(first.ticket)
        try queue.saveCursor()
        #expect(try scratch.segmentFiles() == ["0000000003.log", "0000000004.log", "0000000005.log"])
        #expect(queue.stats.bytesOnDisk == Int64(10 * record))
        #expect(try Scratch.drain(queue).numbers == Array(9..<18))
        try queue.saveCursor()
        #expect(try scratch.segmentFiles() == ["0000000005.log"])
        queue.close()

        let reopened = try scratch.open(settings)
        try reopened.append([DiskRecordBatch(Scratch.messages(18..<20))])
        #expect(try Scratch.drain(reopened).numbers == [18, 19])
        reopened.close()
    }

    @Test func aFlippedPayloadByteSkipsThatRecordOnlyAndIsReportedWithItsPlace() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let queue = try scratch.open()
        try queue.append([DiskRecordBatch(Scratch.messages(0..<20))])
        queue.close()
        let record = Scratch.recordSize()
        try FileHandle.flipByte(at: 7 * record + DiskRecord.headerSize + 5, in: scratch.queueFolder + "/0000000001.log")

        let reopened = try scratch.open()
        let (numbers, damage) = try Scratch.drain(reopened)
        #expect(numbers == Array(0..<7) + Array(8..<20))
        #expect(damage == [DiskQueueDamage(segment: 1, offset: Int64(7 * record), bytes: Int64(record),
                                           reason: "bad payload checksum")])
        reopened.close()
    }

    @Test func aDamagedHeaderIsSkippedByScanningToTheNextSoundRecord() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var settings = DiskQueueSettings()
        settings.readChunkBytes = 64  // forces the scan across many windows
        let queue = try scratch.open(settings)
        try queue.append([DiskRecordBatch(Scratch.messages(0..<20))])
        queue.close()
        let record = Scratch.recordSize()
        let path = scratch.queueFolder + "/0000000001.log"
        try FileHandle.flipByte(at: 3 * record + 5, in: path)  // length of record 3
        try FileHandle.flipByte(at: 4 * record + 1, in: path)  // magic of record 4
        try FileHandle.flipByte(at: 11 * record + 13, in: path)  // header checksum of record 11

        let reopened = try scratch.open(settings)
        let (numbers, damage) = try Scratch.drain(reopened, batch: 3)
        #expect(numbers == [0, 1, 2] + Array(5..<11) + Array(12..<20))
        #expect(damage.map(\.offset) == [Int64(3 * record), Int64(11 * record)])
        #expect(damage.map(\.bytes) == [Int64(2 * record), Int64(record)])
        #expect(damage.map(\.reason) == ["bad header checksum", "bad header checksum"])
        reopened.close()
    }

    @Test func aTornTailIsCutOffAtOpenAndAppendsContinueAfterTheLastSoundRecord() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let queue = try scratch.open()
        try queue.append([DiskRecordBatch(Scratch.messages(0..<10))])
        queue.close()
        let record = Scratch.recordSize()
        let path = scratch.queueFolder + "/0000000001.log"
        // Half of record 9 made it to disk, then zeros where the kernel had extended the file.
        try SegmentIO.truncate(path, to: Int64(9 * record + record / 2))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(count: 300))
        try handle.close()

        let reopened = try scratch.open()
        #expect(try SegmentIO.size(path) == Int64(9 * record))
        try reopened.append([DiskRecordBatch(Scratch.messages(100..<102))])
        let (numbers, damage) = try Scratch.drain(reopened)
        #expect(numbers == Array(0..<9) + [100, 101])
        #expect(damage.isEmpty)
        reopened.close()
    }

    @Test func recordsLargerThanTheReadChunkAreReadWhole() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var settings = DiskQueueSettings()
        settings.readChunkBytes = 256
        let queue = try scratch.open(settings)
        let big = Scratch.messages(0..<3, payloadBytes: 100_000)
        let small = Scratch.messages(3..<50)
        try queue.append([DiskRecordBatch(small), DiskRecordBatch(big), DiskRecordBatch(small)])
        var seen: [Message] = []
        while let read = try queue.read(maxMessages: 5, maxBytes: 1 << 20) {
            seen += read.messages
            queue.settle(read.ticket)
        }
        #expect(seen == small + big + small)
        queue.close()
    }

    @Test func maxBufferSizeBoundsTheBytesOnDiskAndConsumedSpaceComesBack() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let record = Scratch.recordSize()
        var settings = DiskQueueSettings()
        settings.maxBufferSize = record * 40
        let queue = try scratch.open(settings)
        #expect(settings.rotationBytes == record * 10)
        #expect(queue.hasRoom(for: record * 1000))  // empty: one batch of any size goes in
        try queue.append([DiskRecordBatch(Scratch.messages(0..<35))])
        #expect(queue.hasRoom(for: record * 5))
        #expect(!queue.hasRoom(for: record * 6))

        // Confirming 12 records frees the first segment (10 records) once the cursor is saved.
        let read = try #require(try queue.read(maxMessages: 12, maxBytes: 1 << 20))
        queue.settle(read.ticket)
        try queue.reclaimSpace()
        #expect(queue.stats.bytesOnDisk == Int64(25 * record))
        #expect(queue.hasRoom(for: record * 15))

        // Everything confirmed: the partly filled last segment is retired too.
        _ = try Scratch.drain(queue)
        try queue.reclaimSpace()
        #expect(queue.stats.bytesOnDisk == 0)
        #expect(try scratch.segmentFiles() == ["0000000005.log"])
        try queue.append([DiskRecordBatch(Scratch.messages(35..<36))])
        #expect(try Scratch.drain(queue).numbers == [35])
        queue.close()
    }

    @Test func aSecondOpenOfTheSameFolderIsRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let queue = try scratch.open()
        #expect(throws: DiskQueueError.self) { try scratch.open() }
        queue.close()
        try scratch.open().close()
    }

    @Test func settingsComeFromTheBufferingTableWithDeclaredDefaults() throws {
        #expect(DiskQueueSettings(section: ConfigTable()) == nil)
        #expect(DiskQueueSettings(section: ["use_buffering": false] as ConfigTable) == nil)
        let defaults = try #require(DiskQueueSettings(section: ["use_buffering": true] as ConfigTable))
        #expect(defaults == DiskQueueSettings(maxFileSize: 512 * 1024 * 1024, maxBufferSize: 0, fullAction: .block, cursorUpdateCount: 1))
        let buffering: ConfigTable = ["max_file_size": "1MiB", "max_buffer_size": 8_000_000, "full_action": "drop",
                                      "cursor_update_count": 50]
        let chosen = try #require(DiskQueueSettings(section: ["use_buffering": true, "buffering": .table(buffering)] as ConfigTable))
        #expect(chosen == DiskQueueSettings(maxFileSize: 1 << 20, maxBufferSize: 8_000_000, fullAction: .drop, cursorUpdateCount: 50))
    }
}
