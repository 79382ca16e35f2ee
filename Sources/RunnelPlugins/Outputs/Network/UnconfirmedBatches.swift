import NIOCore
import RunnelCore

/// Batches a TcpOutput has written but not yet confirmed, in the order written, with where each
/// ends in the current connection's byte stream. Confirming settles every batch that ends at or
/// before a position; after a lost connection they are all written again, in order, and get new
/// end positions in the new connection.
struct UnconfirmedBatches {
    struct Entry {
        let batch: OutputBatch
        let bytes: ByteBuffer
        /// Positions of messages the encoder refused; counted as dropped when the batch settles.
        let refused: [Int]
        var endOffset: Int64
    }

    private(set) var entries: [Entry] = []
    /// Encoded bytes held, for the `max_unconfirmed` bound.
    private(set) var byteCount = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var messageCount: Int { entries.reduce(0) { $0 + $1.batch.messages.count } }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
        byteCount += entry.bytes.readableBytes
    }

    /// Settles the batches that end at or before `offset`; returns how many.
    mutating func confirm(through offset: Int64) -> Int {
        var settled = 0
        while settled < entries.count && entries[settled].endOffset <= offset {
            let entry = entries[settled]
            if entry.refused.isEmpty {
                entry.batch.confirm()
            } else {
                entry.batch.settle(droppedPositions: entry.refused, reason: "encode_failed")
            }
            byteCount -= entry.bytes.readableBytes
            settled += 1
        }
        if settled > 0 { entries.removeFirst(settled) }
        return settled
    }

    /// Moves every batch to a new connection whose stream starts at `offset`: returns the
    /// buffers to write, in order, and records their new end positions.
    mutating func rebase(startingAt offset: Int64) -> [ByteBuffer] {
        var position = offset
        for index in entries.indices {
            position += Int64(entries[index].bytes.readableBytes)
            entries[index].endOffset = position
        }
        return entries.map(\.bytes)
    }
}
