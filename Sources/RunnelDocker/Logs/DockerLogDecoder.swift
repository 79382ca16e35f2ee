/// Turns the body of `GET /containers/{id}/logs?timestamps=1` into lines: multiplexed frames for
/// containers without a TTY, raw bytes (all stdout, `\r\n` line ends) for TTY containers. Feed it
/// the body as it arrives, take the finished lines after each chunk, and `finish()` at the end.
public struct DockerLogDecoder {
    public enum Framing: Sendable {
        case multiplexed
        case tty
    }

    public let framing: Framing
    private var frames = DockerFrameReader()
    private var stdout: DockerLineAssembler
    private var stderr: DockerLineAssembler
    private var lines: [DockerLogLine] = []
    private var systemErrors: [String] = []
    private var ttyOffset: Int64 = 0

    /// - Parameters:
    ///   - maxLineBytes: the longest line kept whole (`max_message_size`); longer ones are truncated.
    ///   - timestamps: the body was requested with `timestamps=1`.
    ///   - resumeAfter: per stream, the position already delivered; entries up to it are skipped.
    public init(framing: Framing, maxLineBytes: Int, timestamps: Bool = true,
                resumeAfter: [DockerLogStream: DockerLogPosition] = [:]) {
        self.framing = framing
        stdout = DockerLineAssembler(stream: .stdout, maxLineBytes: maxLineBytes, timestamps: timestamps,
                                     tty: framing == .tty, resumeAfter: resumeAfter[.stdout])
        stderr = DockerLineAssembler(stream: .stderr, maxLineBytes: maxLineBytes, timestamps: timestamps,
                                     tty: framing == .tty, resumeAfter: resumeAfter[.stderr])
    }

    /// Bytes of the body, in order. A framing error leaves the decoder unusable: the stream must
    /// be requested again (from the last position).
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(DockerLogFormatError) {
        switch framing {
        case .tty:
            ttyOffset += Int64(bytes.count)
            stdout.consume(bytes, entryEnd: false, into: &lines)
        case .multiplexed:
            var index = 0
            while let piece = try frames.next(bytes, at: &index) {
                switch piece {
                case .output(.stdout, let payload, let frameEnd): stdout.consume(payload, entryEnd: frameEnd, into: &lines)
                case .output(.stderr, let payload, let frameEnd): stderr.consume(payload, entryEnd: frameEnd, into: &lines)
                case .systemError(let text): systemErrors.append(text)
                }
            }
        }
    }

    public mutating func consume(_ bytes: [UInt8]) throws(DockerLogFormatError) {
        let failure = bytes.withUnsafeBytes { raw -> DockerLogFormatError? in
            do throws(DockerLogFormatError) {
                try consume(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// The body ended: lines whose last part had no newline are complete. Throws when the body
    /// stopped inside a frame (the connection broke).
    public mutating func finish() throws(DockerLogFormatError) {
        stdout.finish(into: &lines)
        stderr.finish(into: &lines)
        if framing == .multiplexed && !frames.atFrameBoundary {
            throw DockerLogFormatError(offset: frames.offset, reason: "the stream ended inside a frame")
        }
    }

    /// Lines completed since the last call, in arrival order.
    public mutating func takeLines() -> [DockerLogLine] {
        defer { lines = [] }
        return lines
    }

    /// Messages the daemon sent on its error stream (stream 3) since the last call.
    public mutating func takeSystemErrors() -> [String] {
        defer { systemErrors = [] }
        return systemErrors
    }

    /// Where each stream has been read to (entries skipped on resume included); nil before any entry.
    public func cursor(of stream: DockerLogStream) -> DockerLogPosition? {
        let position = stream == .stdout ? stdout.cursor : stderr.cursor
        return position.timestamp == .min && position.entries == 0 ? nil : position
    }

    /// Entries skipped because a previous reader had delivered them.
    public var skippedEntries: Int { stdout.skippedEntries + stderr.skippedEntries }

    /// Lines cut at the limit so far.
    public var truncatedLines: Int { stdout.truncatedLines + stderr.truncatedLines }
}
