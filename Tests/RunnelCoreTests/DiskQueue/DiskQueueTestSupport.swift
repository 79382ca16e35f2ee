import Foundation
import Logging
@testable import RunnelCore

/// A scratch folder for one disk queue test, and numbered messages whose records all have the
/// same size (so a test can compute where record k starts).
struct DiskQueueScratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-dq-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var queueFolder: String { path + "/queue" }

    func open(_ settings: DiskQueueSettings = DiskQueueSettings()) throws -> DiskQueue {
        try DiskQueue.open(folder: queueFolder, settings: settings, logger: Logger(label: "test"))
    }

    func segmentFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: queueFolder).filter { $0.hasSuffix(".log") }.sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Message `n` carries `n` in its timestamp (offset so every number encodes to the same size).
    static func messages(_ numbers: Range<Int>, payloadBytes: Int = 40) -> [Message] {
        let filler = String(repeating: "x", count: max(0, payloadBytes - 8))
        return numbers.map { number in
            let digits = String(number)
            let padded = String(repeating: "0", count: max(0, 8 - digits.count)) + digits
            return Message(timestamp: Int64(1_000_000 + number), type: "disk.test", payload: ByteString(padded + filler))
        }
    }

    static func numbers(_ messages: [Message]) -> [Int] {
        messages.map { Int($0.timestamp) - 1_000_000 }
    }

    /// Bytes one record of `messages(_:payloadBytes:)` takes on disk.
    static func recordSize(payloadBytes: Int = 40) -> Int {
        DiskRecordBatch(messages(0..<1, payloadBytes: payloadBytes)).bytes.count
    }

    /// Reads everything currently readable, settling each read when asked; returns the numbers
    /// and the damage seen.
    static func drain(_ queue: DiskQueue, settle: Bool = true, batch: Int = 7) throws -> (numbers: [Int], damage: [DiskQueueDamage]) {
        var numbers: [Int] = []
        var damage: [DiskQueueDamage] = []
        while let read = try queue.read(maxMessages: batch, maxBytes: 1 << 20) {
            numbers += Self.numbers(read.messages)
            damage += read.damage
            if settle { queue.settle(read.ticket) }
        }
        return (numbers, damage)
    }
}

extension FileHandle {
    /// Overwrites one byte of a file with its complement.
    static func flipByte(at offset: Int, in path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let byte = try handle.read(upToCount: 1) ?? Data()
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data([~(byte.first ?? 0)]))
    }
}
