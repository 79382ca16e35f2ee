import RunnelCore

/// Tells whether a stream that just ended left part of a record behind, so the input can count
/// the lost tail: splitters drop it silently unless `deliver_incomplete_final`.
///
/// HekaFramingSplitter reports a truncated frame itself and NullSplitter never holds bytes. For a
/// one-byte TokenSplitter the tail exists exactly when the last byte read is not the delimiter;
/// for other splitters, when bytes were read after the end of the last record.
struct IncompleteTailDetector {
    private enum Rule { case selfReporting, lastByteIsNot(UInt8), bytesAfterLastRecord }
    private let rule: Rule
    private var lastByte: UInt8?
    private var bytesRead: Int64 = 0
    private var lastRecordEnd: Int64 = 0

    init(for splitter: any Splitter, startOffset: Int64 = 0) {
        if splitter is HekaFramingSplitter || splitter is NullSplitter {
            rule = .selfReporting
        } else if let token = splitter as? TokenSplitter, token.count == 1 {
            rule = .lastByteIsNot(token.delimiter)
        } else {
            rule = .bytesAfterLastRecord
        }
        bytesRead = startOffset
        lastRecordEnd = startOffset
    }

    mutating func noteRead(_ bytes: UnsafeRawBufferPointer) {
        guard let last = bytes.last else { return }
        lastByte = last
        bytesRead += Int64(bytes.count)
    }

    mutating func noteRecord(endingAt offset: Int64) {
        lastRecordEnd = offset
    }

    /// Call once the splitter's `finish()` delivered nothing and reported no discard of its own.
    func hasIncompleteTail() -> Bool {
        switch rule {
        case .selfReporting: return false
        case .lastByteIsNot(let delimiter): return lastByte.map { $0 != delimiter } ?? false
        case .bytesAfterLastRecord: return bytesRead > lastRecordEnd
        }
    }

    /// Starts over for an unrelated chunk (the next datagram).
    mutating func reset() {
        lastByte = nil
        lastRecordEnd = bytesRead
    }
}
