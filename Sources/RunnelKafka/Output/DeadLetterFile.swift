import Foundation
import RunnelCore
import Synchronization

/// Appends messages that a destination refused for good, one JSON object a line:
/// `{"time":…,"output":…,"topic":…,"reason":…,"error":…,"message":{…}}` (the message as MessageJSON),
/// so nothing is dropped silently and an operator can replay or inspect them.
public final class DeadLetterFile: Sendable {
    public let path: String
    private let handle = Mutex<FileHandle?>(nil)

    public init(path: String) {
        self.path = path
    }

    public struct Entry: Sendable {
        public var topic: String
        public var reason: String
        public var error: String
        public var message: Message

        public init(topic: String, reason: String, error: String, message: Message) {
            self.topic = topic
            self.reason = reason
            self.error = error
            self.message = message
        }
    }

    /// Writes the entries and flushes them to disk before returning (they are counted as dropped
    /// only once they are safe here).
    public func append(_ entries: [Entry], output: String) throws {
        guard !entries.isEmpty else { return }
        var bytes: [UInt8] = []
        let now = Date().timeIntervalSince1970
        for entry in entries {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("time"); _ = writer.double(now)
            writer.key("output"); writer.string(output)
            writer.key("topic"); writer.string(entry.topic)
            writer.key("reason"); writer.string(entry.reason)
            writer.key("error"); writer.string(entry.error)
            writer.key("message")
            writer.append(to: &bytes)
            MessageJSON.encode(entry.message, into: &bytes)
            bytes += Array("}\n".utf8)
        }
        try handle.withLock { handle in
            if handle == nil {
                let url = URL(fileURLWithPath: path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                if !FileManager.default.fileExists(atPath: path) {
                    _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
                }
                handle = try FileHandle(forWritingTo: url)
                try handle?.seekToEnd()
            }
            try handle?.write(contentsOf: bytes)
            try handle?.synchronize()
        }
    }
}
