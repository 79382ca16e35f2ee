#if canImport(Glibc)
import Glibc
#endif

/// A record of a `json-file` log that could not be read, and where it starts in its file.
public struct JSONFileLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the record in its file.
    public let offset: Int64
    public let reason: String

    public var description: String { "unreadable json-file log record at byte \(offset): \(reason)" }
}

/// Turns the bytes of a container's `json-file` log (`<id>-json.log` and its rotated files) into
/// the same lines, positions and checkpoints as the API's log stream: each record is one Docker
/// entry, fed to the same per-stream assemblers (16 KiB parts joined, long lines truncated,
/// entries a resumed reader delivered before skipped). A damaged record is reported with its
/// offset and skipped; the records around it are read.
public struct JSONFileLogDecoder {
    /// A record longer than this is skipped as damaged: Docker's longest is a 16 KiB part with
    /// every byte escaped as `\u00XX`.
    public static let maxRecordBytes = 6 * 16 * 1024 + 4096

    private var stdout: DockerLineAssembler
    private var stderr: DockerLineAssembler
    private var record = JSONFileLogRecord()
    private var partial: [UInt8] = []
    private var skippingOverlong = false
    private var lines: [DockerLogLine] = []
    private var errors: [JSONFileLogError] = []
    /// Offset in the current file of the first byte not yet consumed.
    public private(set) var fileOffset: Int64 = 0

    public init(tty: Bool, maxLineBytes: Int, resumeAfter: [DockerLogStream: DockerLogPosition] = [:]) {
        stdout = DockerLineAssembler(stream: .stdout, maxLineBytes: maxLineBytes, timestamps: false, tty: tty,
                                     resumeAfter: resumeAfter[.stdout])
        stderr = DockerLineAssembler(stream: .stderr, maxLineBytes: maxLineBytes, timestamps: false, tty: tty,
                                     resumeAfter: resumeAfter[.stderr])
        partial.reserveCapacity(4096)
    }

    /// The next bytes come from another file (rotation), starting at `offset`. An unfinished
    /// record of the previous file is reported: Docker only rotates after a whole record.
    public mutating func startFile(at offset: Int64) {
        if !partial.isEmpty || skippingOverlong {
            errors.append(JSONFileLogError(offset: fileOffset - Int64(partial.count), reason: "the file ended inside a record"))
        }
        partial.removeAll(keepingCapacity: true)
        skippingOverlong = false
        fileOffset = offset
    }

    /// Bytes of the current file, in order. A record cut by the end of what was read waits for
    /// the rest (the writer may be in the middle of it).
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[index...])
            guard let base = rest.baseAddress, let newline = memchr(base, 0x0A, rest.count) else {
                keepPartial(rest)
                fileOffset += Int64(rest.count)
                return
            }
            let length = UnsafeRawPointer(newline) - base
            let recordStart = fileOffset - Int64(partial.count)
            if skippingOverlong {
                skippingOverlong = false
            } else if partial.count + length > Self.maxRecordBytes {
                overlong(at: recordStart)
                partial.removeAll(keepingCapacity: true)
            } else if partial.isEmpty {
                parseRecord(UnsafeRawBufferPointer(rebasing: rest[0..<length]), at: recordStart)
            } else {
                partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<length]))
                let whole = partial
                whole.withUnsafeBytes { parseRecord($0, at: recordStart) }
                partial.removeAll(keepingCapacity: true)
            }
            index += length + 1
            fileOffset += Int64(length + 1)
        }
    }

    /// The container's log ended: a line whose last part had no newline is complete.
    public mutating func finish() {
        stdout.finish(into: &lines)
        stderr.finish(into: &lines)
    }

    /// Lines completed since the last call, in file order.
    public mutating func takeLines() -> [DockerLogLine] {
        defer { lines = [] }
        return lines
    }

    /// Damaged records since the last call.
    public mutating func takeErrors() -> [JSONFileLogError] {
        defer { errors = [] }
        return errors
    }

    /// Lines cut at the limit so far.
    public var truncatedLines: Int { stdout.truncatedLines + stderr.truncatedLines }

    private mutating func keepPartial(_ bytes: UnsafeRawBufferPointer) {
        guard !skippingOverlong else { return }
        if partial.count + bytes.count > Self.maxRecordBytes {
            overlong(at: fileOffset - Int64(partial.count))
            partial.removeAll(keepingCapacity: true)
            skippingOverlong = true
        } else {
            partial.append(contentsOf: bytes)
        }
    }

    private mutating func overlong(at offset: Int64) {
        errors.append(JSONFileLogError(offset: offset, reason: "record longer than \(Self.maxRecordBytes) bytes"))
    }

    private mutating func parseRecord(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        if bytes.isEmpty { return }
        if let failure = record.parse(bytes) {
            errors.append(JSONFileLogError(offset: offset + Int64(failure.offset), reason: failure.reason))
            return
        }
        let timestamp = record.time.withUnsafeBytes { DockerTimestamp.parse($0) }
        let log = record.log
        log.withUnsafeBytes { content in
            if record.stream == .stderr {
                stderr.consumeEntry(timestamp: timestamp, content, into: &lines)
            } else {
                stdout.consumeEntry(timestamp: timestamp, content, into: &lines)
            }
        }
    }

    /// The time of the first whole record in `bytes` that starts after a line end (or at 0 when
    /// `atStart`), for finding where to begin reading a file.
    static func firstRecordTime(in bytes: UnsafeRawBufferPointer, atStart: Bool) -> Int64? {
        var start = 0
        if !atStart {
            guard let base = bytes.baseAddress, let newline = memchr(base, 0x0A, bytes.count) else { return nil }
            start = UnsafeRawPointer(newline) - base + 1
        }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
        guard let base = rest.baseAddress, let newline = memchr(base, 0x0A, rest.count) else { return nil }
        var probe = JSONFileLogRecord()
        guard probe.parse(UnsafeRawBufferPointer(rebasing: rest[0..<(UnsafeRawPointer(newline) - base)])) == nil else { return nil }
        return probe.time.withUnsafeBytes { DockerTimestamp.parse($0) }
    }
}
