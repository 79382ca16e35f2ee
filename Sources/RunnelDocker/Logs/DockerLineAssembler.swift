#if canImport(Glibc)
import Glibc
#endif

/// Rebuilds one container stream's lines from Docker's log entries: reads the timestamp prefix of
/// each entry, joins the parts of a line Docker split at 16 KiB (they share one timestamp), keeps
/// at most `maxLineBytes` of a line (cut on a UTF-8 boundary, flagged), and skips the entries a
/// resumed reader has already delivered. Memory is bounded by the line limit, whatever arrives.
struct DockerLineAssembler {
    /// Docker's copier buffer: a line without a newline is cut into parts of this size.
    static let dockerPartSize = 16 * 1024

    let stream: DockerLogStream
    let maxLineBytes: Int
    let timestamps: Bool
    /// TTY output has no frames to mark where a part ends, so a part is recognised by its length
    /// and by the next part starting with the very same timestamp text.
    let detectsPartsByLength: Bool

    private enum Phase { case prefix, content }
    private var phase: Phase
    private var prefix: [UInt8] = []
    /// Reading a prefix right after a 16 KiB TTY part: it may be content after all.
    private var tentative = false
    private var entryOpen = false
    private var entryContentBytes = 0
    private var entryPrefixText: [UInt8] = []

    private var lineOpen = false
    private var line: [UInt8] = []
    private var lineLength = 0
    private var lastByte: UInt8 = 0
    private var lineTimestamp: Int64?
    private var skippingLine = false

    private(set) var cursor = DockerLogPosition(timestamp: .min, entries: 0)
    private var resume: DockerLogPosition?
    private(set) var skippedEntries = 0
    /// Lines longer than the limit so far.
    private(set) var truncatedLines = 0

    init(stream: DockerLogStream, maxLineBytes: Int, timestamps: Bool, tty: Bool, resumeAfter: DockerLogPosition?) {
        self.stream = stream
        self.maxLineBytes = max(1, maxLineBytes)
        self.timestamps = timestamps
        self.detectsPartsByLength = tty && timestamps
        self.resume = resumeAfter
        phase = timestamps ? .prefix : .content
        prefix.reserveCapacity(DockerTimestamp.maxLength + 1)
    }

    /// Bytes of this stream; `entryEnd` when they end a Docker entry (a frame, in multiplexed output).
    mutating func consume(_ bytes: UnsafeRawBufferPointer, entryEnd: Bool, into lines: inout [DockerLogLine]) {
        var index = 0
        while index < bytes.count {
            switch phase {
            case .prefix:
                let byte = bytes[index]
                if byte == UInt8(ascii: " ") {
                    index += 1
                    endPrefix()
                } else if byte == 0x0A || prefix.count >= DockerTimestamp.maxLength {
                    abandonPrefix()  // the newline itself is handled as content next
                } else {
                    prefix.append(byte)
                    index += 1
                }
            case .content:
                if !entryOpen { beginEntry(timestamp: nil) }
                var limit = bytes.count
                if detectsPartsByLength && entryContentBytes < Self.dockerPartSize {
                    limit = min(limit, index + (Self.dockerPartSize - entryContentBytes))
                }
                let stretch = UnsafeRawBufferPointer(rebasing: bytes[index..<limit])
                if let newline = stretch.baseAddress.flatMap({ memchr($0, 0x0A, stretch.count) }) {
                    let length = stretch.baseAddress.map { UnsafeRawPointer(newline) - $0 } ?? 0
                    append(UnsafeRawBufferPointer(rebasing: stretch[0..<length]))
                    index += length + 1
                    endLine(into: &lines)
                    entryOpen = false
                    phase = timestamps ? .prefix : .content
                } else {
                    append(stretch)
                    index = limit
                    if detectsPartsByLength && entryContentBytes == Self.dockerPartSize {
                        phase = .prefix
                        tentative = true
                    }
                }
            }
        }
        if entryEnd {
            if phase == .prefix && !prefix.isEmpty { abandonPrefix() }
            entryOpen = false
            tentative = false
            phase = timestamps ? .prefix : .content
        }
    }

    /// One whole entry whose timestamp is known already (a json-file record); for assemblers made
    /// with `timestamps: false`.
    mutating func consumeEntry(timestamp: Int64?, _ content: UnsafeRawBufferPointer, into lines: inout [DockerLogLine]) {
        beginEntry(timestamp: timestamp)
        consume(content, entryEnd: true, into: &lines)
    }

    /// The stream ended: a line still open (its last part had no newline) is complete now.
    mutating func finish(into lines: inout [DockerLogLine]) {
        if phase == .prefix && !prefix.isEmpty { abandonPrefix() }
        if lineOpen { endLine(into: &lines) }
        entryOpen = false
        tentative = false
        phase = timestamps ? .prefix : .content
    }

    // MARK: entries

    private mutating func endPrefix() {
        let parsed = prefix.withUnsafeBytes { DockerTimestamp.parse($0) }
        if tentative {
            tentative = false
            if parsed != nil && prefix == entryPrefixText {
                beginEntry(timestamp: parsed)  // the next part of the same line
            } else {
                prefix.append(UInt8(ascii: " "))
                replayPrefixAsContent()
            }
        } else if let parsed {
            entryPrefixText = prefix
            beginEntry(timestamp: parsed)
        } else {
            beginEntry(timestamp: nil)
            prefix.append(UInt8(ascii: " "))
            replayPrefixAsContent()
        }
        prefix.removeAll(keepingCapacity: true)
        phase = .content
    }

    /// No timestamp here after all: the bytes collected so far are content.
    private mutating func abandonPrefix() {
        if tentative {
            tentative = false
        } else {
            beginEntry(timestamp: nil)
        }
        replayPrefixAsContent()
        prefix.removeAll(keepingCapacity: true)
        phase = .content
    }

    private mutating func replayPrefixAsContent() {
        let bytes = prefix
        bytes.withUnsafeBytes { append($0) }
    }

    private mutating func beginEntry(timestamp: Int64?) {
        let stamp = timestamp ?? cursor.timestamp
        if stamp == cursor.timestamp {
            cursor.entries += 1
        } else {
            cursor = DockerLogPosition(timestamp: stamp, entries: 1)
        }
        if !lineOpen {
            lineOpen = true
            lineTimestamp = timestamp
            skippingLine = alreadyDelivered()
        }
        if skippingLine { skippedEntries += 1 }
        entryOpen = true
        entryContentBytes = 0
    }

    private mutating func alreadyDelivered() -> Bool {
        guard let resume else { return false }
        if cursor.timestamp < resume.timestamp || (cursor.timestamp == resume.timestamp && cursor.entries <= resume.entries) {
            return true
        }
        self.resume = nil
        return false
    }

    // MARK: lines

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        entryContentBytes += bytes.count
        lineLength += bytes.count
        lastByte = bytes[bytes.count - 1]
        guard !skippingLine else { return }
        // One byte past the limit is kept, to tell a line that only ends in "\r" from a long one.
        let room = maxLineBytes + 1 - line.count
        if room >= bytes.count {
            line.append(contentsOf: bytes)
        } else if room > 0 {
            line.append(contentsOf: bytes.prefix(room))
        }
    }

    private mutating func endLine(into lines: inout [DockerLogLine]) {
        defer {
            lineOpen = false
            line = []
            lineLength = 0
            lastByte = 0
            lineTimestamp = nil
            skippingLine = false
        }
        guard lineOpen || lineLength > 0 else { return }
        guard !skippingLine else { return }
        var length = lineLength
        if lastByte == 0x0D {
            length -= 1
            if line.count == lineLength { line.removeLast() }
        }
        let truncated = length > maxLineBytes
        if truncated {
            truncatedLines += 1
            line = Self.utf8Prefix(line, maxBytes: maxLineBytes)
        }
        lines.append(DockerLogLine(stream: stream, timestamp: lineTimestamp, content: line, truncated: truncated, position: cursor))
    }

    /// At most `maxBytes` bytes, never ending inside a UTF-8 sequence that continues past the cut.
    static func utf8Prefix(_ bytes: [UInt8], maxBytes: Int) -> [UInt8] {
        guard bytes.count > maxBytes else { return bytes }
        var cut = maxBytes
        if bytes[cut] & 0xC0 == 0x80 {
            var lead = cut - 1
            while lead > 0 && cut - lead < 4 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
            if lead >= 0 && bytes[lead] >= 0xC0 { cut = lead }
        }
        return Array(bytes[0..<cut])
    }
}
