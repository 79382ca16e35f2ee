/// The two output streams of a container.
public enum DockerLogStream: Int, Sendable, Hashable, CaseIterable {
    case stdout = 1
    case stderr = 2

    /// `stdout` / `stderr`: the message Logger and the checkpoint key suffix.
    public var name: String { self == .stdout ? "stdout" : "stderr" }
}

/// How far a container stream has been read: every log entry before `timestamp`, and the first
/// `entries` entries stamped exactly `timestamp`. Docker's `since` filter includes entries at the
/// given instant, so resuming means asking from `timestamp` and skipping `entries` of them.
/// (The parts of a line Docker split at 16 KiB share one timestamp, so they count one by one.)
public struct DockerLogPosition: Sendable, Hashable {
    public var timestamp: Int64
    public var entries: Int

    public init(timestamp: Int64, entries: Int) {
        self.timestamp = timestamp
        self.entries = entries
    }

    /// The checkpoint form: `[timestamp_ns, entries_with_that_timestamp]`.
    public var checkpoint: [Int64] { [timestamp, Int64(entries)] }

    public init?(checkpoint: [Int64]) {
        guard checkpoint.count == 2, checkpoint[1] >= 0, checkpoint[1] <= Int64(Int32.max) else { return nil }
        self.init(timestamp: checkpoint[0], entries: Int(checkpoint[1]))
    }
}

/// One line of a container's output, with the parts Docker split it into joined again.
public struct DockerLogLine: Sendable, Equatable {
    public var stream: DockerLogStream
    /// Docker's timestamp of the line's first part; nil when the prefix was missing or unreadable.
    public var timestamp: Int64?
    /// The line without its line end (`\n`, `\r\n`); never more than the decoder's limit.
    public var content: [UInt8]
    /// The line was longer than the limit: `content` holds its first bytes, cut on a UTF-8 boundary.
    public var truncated: Bool
    /// The stream's position just after this line, for checkpoints.
    public var position: DockerLogPosition

    public init(stream: DockerLogStream, timestamp: Int64?, content: [UInt8], truncated: Bool, position: DockerLogPosition) {
        self.stream = stream
        self.timestamp = timestamp
        self.content = content
        self.truncated = truncated
        self.position = position
    }
}

/// The logs stream broke Docker's framing: where and how.
public struct DockerLogFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the response body.
    public let offset: Int64
    public let reason: String

    public var description: String { "malformed Docker log stream at byte \(offset): \(reason)" }
}
