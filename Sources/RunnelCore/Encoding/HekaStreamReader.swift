/// Splits a Heka framed stream into frames, fed in chunks of any size (files, TCP, `runnel cat`).
///
/// Garbage between frames is skipped by scanning to the next `0x1E` that starts a valid header
/// (Heka's rule), and every skipped run is reported once, with its absolute offset and length,
/// before the frame that ends it (or by `finish()`). A header claiming a message longer than
/// `maxMessageSize` is treated as garbage, so the reader never waits for or allocates such a
/// message. What it keeps is the unread part of the last chunk plus at most one incomplete frame;
/// feed bounded chunks and drain `next()` after each `append`.
public struct HekaStreamReader: Sendable {
    /// Heka's default `max_message_size`: 64 KiB.
    public static let defaultMaxMessageSize = 64 * 1024
    /// A skipped run this long is reported even before it ends, so an endless stream of
    /// non-Heka bytes is still visible.
    static let longSkipReportLength = 1 << 20

    public let maxMessageSize: Int
    public var verifier: HekaSignatureVerifier?

    private var buffer: [UInt8] = []
    /// Index in `buffer` of the next byte to examine.
    private var readIndex = 0
    /// Absolute stream offset of `buffer[0]`.
    private var bufferOffset: Int64
    /// Bytes skipped since the last frame, not yet reported.
    private var pendingSkip: HekaStreamCorruption?

    public init(
        maxMessageSize: Int = HekaStreamReader.defaultMaxMessageSize, startOffset: Int64 = 0,
        verifier: HekaSignatureVerifier? = nil
    ) {
        self.maxMessageSize = max(0, maxMessageSize)
        self.bufferOffset = startOffset
        self.verifier = verifier
    }

    /// Absolute offset of the first byte not yet consumed by `next()`.
    public var offset: Int64 { bufferOffset + Int64(readIndex) }

    /// Bytes held, consumed ones awaiting compaction included.
    public var bufferedByteCount: Int { buffer.count }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next frame or corruption report; nil when more bytes are needed.
    public mutating func next() -> HekaStreamItem? {
        while readIndex < buffer.count {
            guard buffer[readIndex] == HekaFraming.recordSeparator else {
                let runEnd = indexOfRecordSeparator(from: readIndex) ?? buffer.count
                noteSkipped(runEnd - readIndex, reason: "bytes outside a frame", kind: .garbage)
                readIndex = runEnd
                continue
            }
            switch examineFrame(at: readIndex) {
            case .invalid(let reason, let kind):
                noteSkipped(1, reason: reason, kind: kind)
                readIndex += 1
            case .incomplete(let claimedLength):
                // A valid header ends the skipped run (the frame may still arrive); an incomplete
                // one may yet prove to be garbage and extend it.
                if claimedLength != nil, let report = takePendingSkip() { return .corruption(report) }
                return takeLongPendingSkip()
            case .complete(let header, let headerLength, let messageRange):
                if let report = takePendingSkip() { return .corruption(report) }
                return deliver(header: header, headerLength: headerLength, messageRange: messageRange)
            }
        }
        return takeLongPendingSkip()
    }

    /// Call at the end of the stream, after `next()` returned nil: reports the bytes left over (a
    /// truncated trailing frame, with the offset of its record separator, and any skipped run
    /// before it). The reader is then empty and may continue with bytes that follow `offset`.
    public mutating func finish() -> HekaStreamCorruption? {
        var report = takePendingSkip()
        let tail = buffer.count - readIndex
        if tail > 0 {
            let tailOffset = offset
            let reason = truncationReason(at: readIndex)
            if let skipped = report {
                report = HekaStreamCorruption(
                    offset: skipped.offset, skippedBytes: skipped.skippedBytes + tail,
                    reason: "\(skipped.reason); then \(reason) at offset \(tailOffset)", kind: skipped.kind)
            } else {
                report = HekaStreamCorruption(offset: tailOffset, skippedBytes: tail, reason: reason, kind: .truncatedFrame)
            }
            readIndex = buffer.count
        }
        compact()
        return report
    }

    // MARK: - Frames

    private enum Examination {
        case invalid(reason: String, kind: HekaStreamCorruption.Kind)
        /// More bytes are needed; `claimedLength` is the message length once the header is valid.
        case incomplete(claimedLength: UInt32?)
        case complete(header: HekaFrameHeader, headerLength: Int, messageRange: Range<Int>)
    }

    /// Judges the record separator at `start`: a frame, not a frame, or not yet known.
    private func examineFrame(at start: Int) -> Examination {
        guard buffer.count - start >= 2 else { return .incomplete(claimedLength: nil) }
        let headerLength = Int(buffer[start + 1])
        // The shortest header holding the required message_length is two bytes.
        guard headerLength >= 2 else {
            return .invalid(reason: "header length \(headerLength) is too short", kind: .invalidHeader)
        }
        let headerEnd = start + 2 + headerLength
        guard headerEnd < buffer.count else { return .incomplete(claimedLength: nil) }
        guard buffer[headerEnd] == HekaFraming.unitSeparator else {
            return .invalid(reason: "header of \(headerLength) bytes is not followed by 0x1F", kind: .invalidHeader)
        }
        let decoded = buffer.withUnsafeBytes { bytes in
            Result { () throws(ProtobufDecodingError) in
                try HekaFrameHeader.decode(UnsafeRawBufferPointer(rebasing: bytes[(start + 2)..<headerEnd]))
            }
        }
        let header: HekaFrameHeader
        switch decoded {
        case .success(let value): header = value
        case .failure(let error):
            return .invalid(
                reason: "header does not decode (byte \(error.offset) of the header: \(error.reason))",
                kind: .invalidHeader)
        }
        guard Int(header.messageLength) <= maxMessageSize else {
            return .invalid(
                reason: "header claims a message of \(header.messageLength) bytes, above max_message_size \(maxMessageSize)",
                kind: .oversizedMessage)
        }
        let messageStart = headerEnd + 1
        let messageEnd = messageStart + Int(header.messageLength)
        guard messageEnd <= buffer.count else { return .incomplete(claimedLength: header.messageLength) }
        return .complete(header: header, headerLength: headerLength, messageRange: messageStart..<messageEnd)
    }

    private mutating func deliver(header: HekaFrameHeader, headerLength: Int, messageRange: Range<Int>) -> HekaStreamItem {
        let frameStart = readIndex
        let frameOffset = offset
        let messageBytes = Array(buffer[messageRange])
        readIndex = messageRange.upperBound
        var signer: HekaSignatureVerifier.SignerID?
        if let verifier {
            let check = verifier.check(header, messageBytes: messageBytes)
            guard verifier.accepts(check) else {
                return .corruption(
                    HekaStreamCorruption(
                        offset: frameOffset, skippedBytes: readIndex - frameStart,
                        reason: "frame dropped: \(check)", kind: .signatureRejected))
            }
            if case .verified(let id) = check { signer = id }
        }
        return .frame(
            HekaFrame(
                offset: frameOffset, header: header, headerLength: headerLength, messageBytes: messageBytes,
                verifiedSigner: signer))
    }

    private func truncationReason(at start: Int) -> String {
        guard case .incomplete(let claimedLength?) = examineFrame(at: start) else {
            return "stream ends inside a frame header"
        }
        let messageStart = start + HekaFraming.framingOverhead + Int(buffer[start + 1])
        return "stream ends inside a frame (\(buffer.count - messageStart) of \(claimedLength) message bytes)"
    }

    // MARK: - Skipped bytes

    private mutating func noteSkipped(_ count: Int, reason: String, kind: HekaStreamCorruption.Kind) {
        if let pending = pendingSkip {
            pendingSkip = HekaStreamCorruption(
                offset: pending.offset, skippedBytes: pending.skippedBytes + count, reason: pending.reason,
                kind: pending.kind)
        } else {
            pendingSkip = HekaStreamCorruption(offset: offset, skippedBytes: count, reason: reason, kind: kind)
        }
    }

    private mutating func takePendingSkip() -> HekaStreamCorruption? {
        defer { pendingSkip = nil }
        return pendingSkip
    }

    private mutating func takeLongPendingSkip() -> HekaStreamItem? {
        guard let pending = pendingSkip, pending.skippedBytes >= Self.longSkipReportLength else { return nil }
        pendingSkip = nil
        return .corruption(pending)
    }

    // MARK: - Buffer

    private func indexOfRecordSeparator(from start: Int) -> Int? {
        buffer.withUnsafeBytes { $0.indexOfByte(HekaFraming.recordSeparator, from: start) }
    }

    /// Drops consumed bytes when that is cheap: all of them, or a large prefix of at least half
    /// the buffer (so each byte is moved at most about once).
    private mutating func compact() {
        if readIndex == buffer.count {
            bufferOffset += Int64(readIndex)
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4 * (maxMessageSize + 512))
            readIndex = 0
        } else if readIndex >= 64 * 1024 && readIndex * 2 >= buffer.count {
            bufferOffset += Int64(readIndex)
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
