/// Docker's multiplexed stream format (non-TTY containers): each frame is an 8-byte header — the
/// stream (1 stdout, 2 stderr, 3 the daemon's error text; 0 stdin is read as stdout), three zero
/// bytes, the payload length as a big-endian UInt32 — then the payload. Frames are read
/// incrementally: a payload is handed on in pieces as bytes arrive, never buffered whole, so a
/// hostile 4 GiB length costs no memory.
struct DockerFrameReader {
    enum Piece {
        /// Payload bytes of a stdout/stderr frame; `frameEnd` when they finish the frame.
        case output(DockerLogStream, UnsafeRawBufferPointer, frameEnd: Bool)
        /// The daemon's own error message (stream 3), whole.
        case systemError(String)
    }

    private var header: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var headerCount = 0
    private var remaining = 0
    private var stream: UInt8 = 0
    private var systemError: [UInt8] = []
    /// Bytes consumed so far (error offsets).
    private(set) var offset: Int64 = 0

    /// True between frames (a stream that ends elsewhere was cut off).
    var atFrameBoundary: Bool { headerCount == 0 && remaining == 0 }

    /// The next piece of `bytes` from `index` on (which it advances), or nil when they are used up.
    mutating func next(_ bytes: UnsafeRawBufferPointer, at index: inout Int) throws(DockerLogFormatError) -> Piece? {
        while index < bytes.count {
            if remaining == 0 {
                withUnsafeMutableBytes(of: &header) { $0[headerCount] = bytes[index] }
                headerCount += 1
                index += 1
                offset += 1
                guard headerCount == 8 else { continue }
                headerCount = 0
                let start = offset - 8
                let (streamByte, pad1, pad2, pad3) = (header.0, header.1, header.2, header.3)
                guard streamByte <= 3 else {
                    throw DockerLogFormatError(offset: start, reason: "unknown stream \(streamByte) in a frame header")
                }
                guard pad1 == 0, pad2 == 0, pad3 == 0 else {
                    throw DockerLogFormatError(offset: start + 1, reason: "frame header bytes 1-3 must be zero")
                }
                stream = streamByte
                remaining = Int(header.4) << 24 | Int(header.5) << 16 | Int(header.6) << 8 | Int(header.7)
                if remaining == 0 && stream == 3 { return takeSystemError() }
                continue
            }
            let take = min(remaining, bytes.count - index)
            let piece = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)])
            remaining -= take
            index += take
            offset += Int64(take)
            if stream == 3 {
                // Error text from the daemon is short; keep a bounded copy of it.
                systemError.append(contentsOf: piece.prefix(max(0, 4096 - systemError.count)))
                if remaining == 0 { return takeSystemError() }
            } else {
                return .output(stream == 2 ? .stderr : .stdout, piece, frameEnd: remaining == 0)
            }
        }
        return nil
    }

    private mutating func takeSystemError() -> Piece {
        defer { systemError = [] }
        return .systemError(String(decoding: systemError, as: UTF8.self))
    }
}
