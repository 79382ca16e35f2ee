import Foundation
import RunnelCore

/// The disk queue's two hot paths, with ~200-byte messages (an nginx access line as payload):
/// framing alone (encode, frame, CRC-32C: the CPU part), appending (encode, frame with CRC-32C, write, fdatasync) in batches of 1,000 messages with one
/// fdatasync per batch, the same with eight batches per fdatasync (the writer's group commit),
/// and reading back from the page cache (read in chunks, check, decode). One operation is one message. The files go
/// to `RUNNEL_BENCH_DIR` or the temporary folder (put it on the disk you mean to measure).
/// The peer (`peers/diskqueue_peer.py`) does the same work in Python with `protobuf` and zlib's CRC-32.
enum DiskQueueBenchmarks {
    static let batchSize = 1000

    static var all: [Benchmark] {
        let recordBytes = DiskRecordBatch([accessLogMessage]).bytes.count
        return [
            Benchmark("diskqueue.frame_only", bytesPerOperation: recordBytes) { count in
                // The CPU part of an append: encode, frame, checksum; no I/O.
                var total = 0
                inBatches(count) { total &+= records($0).bytes.count }
                return total
            },
            Benchmark("diskqueue.append_fsync_per_1000", bytesPerOperation: recordBytes) { count in
                withQueue { queue in
                    try inBatches(count) { try queue.append([records($0)]) }
                    return count
                }
            },
            Benchmark("diskqueue.append_fsync_per_8x1000", bytesPerOperation: recordBytes) { count in
                withQueue { queue in
                    var group: [DiskRecordBatch] = []
                    try inBatches(count) { take in
                        group.append(records(take))
                        if group.count == 8 {
                            try queue.append(group)
                            group.removeAll()
                        }
                    }
                    if !group.isEmpty { try queue.append(group) }
                    return count
                }
            },
            Benchmark("diskqueue.read_back", bytesPerOperation: recordBytes, setUp: { _ = preparedFolder }) { count in
                // Reads the prepared queue from its start as often as needed (never confirming,
                // so each reopening starts over). The files are in the page cache.
                var total = 0
                do {
                    while total < count {
                        let queue = try DiskQueue.open(folder: preparedFolder, settings: settings)
                        defer { queue.close() }
                        while total < count, let read = try queue.read(maxMessages: min(batchSize, count - total), maxBytes: 1 << 30) {
                            total += read.messages.count
                        }
                    }
                } catch {
                    print("disk queue benchmark failed: \(error)")
                    return -1
                }
                return total
            },
        ]
    }

    static let fullBatch = [Message](repeating: accessLogMessage, count: batchSize)

    /// `count` messages' worth of records (at most a batch).
    static func records(_ count: Int) -> DiskRecordBatch {
        DiskRecordBatch(count == batchSize ? fullBatch : Array(fullBatch.prefix(count)))
    }

    /// Calls `body` with the sizes of full batches, then of the partial last one, adding up to `count`.
    static func inBatches(_ count: Int, _ body: (Int) throws -> Void) rethrows {
        var done = 0
        while done < count {
            let take = min(batchSize, count - done)
            try body(take)
            done += take
        }
    }

    /// Appends on a fresh queue in a scratch folder, removed afterwards.
    static func withQueue(_ body: (DiskQueue) throws -> Int) -> Int {
        let folder = scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let queue = try DiskQueue.open(folder: folder, settings: settings)
            defer { queue.close() }
            return try body(queue)
        } catch {
            print("disk queue benchmark failed: \(error)")
            return -1
        }
    }

    /// 200,000 messages in 4 MiB segments (reopening scans only the last one), written once and
    /// removed when the process exits.
    static let preparedFolder: String = {
        let folder = scratchFolder()
        var small = settings
        small.maxFileSize = 4 * 1024 * 1024
        do {
            let queue = try DiskQueue.open(folder: folder, settings: small)
            for _ in 0..<200 { try queue.append([records(batchSize)]) }
            queue.close()
        } catch {
            print("disk queue benchmark preparation failed: \(error)")
        }
        atexit { try? FileManager.default.removeItem(atPath: DiskQueueBenchmarks.preparedFolder) }
        return folder
    }()

    static var settings: DiskQueueSettings {
        DiskQueueSettings(maxFileSize: 64 * 1024 * 1024, maxBufferSize: 0, fullAction: .block, cursorUpdateCount: 1000)
    }

    static func scratchFolder() -> String {
        let base = ProcessInfo.processInfo.environment["RUNNEL_BENCH_DIR"] ?? NSTemporaryDirectory()
        return base + "/runnel-dq-bench-\(UUID().uuidString)"
    }

    static var accessLogMessage: Message {
        Message(
            uuid: MessageUUID(string: "6f1c3a52-8e0b-4d7a-9c21-5b3e7f0a1d44"),
            timestamp: 1_714_564_800_123_456_789,
            type: "nginx.access",
            logger: "web",
            severity: 6,
            payload: ByteString(
                "203.0.113.42 - - [01/May/2024:12:00:00 +0000] \"GET /api/orders/12345 HTTP/1.1\" 200 1843 "
                    + "\"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" 0.014"),
            pid: 4711,
            hostname: "mesos-agent-17")
    }
}
