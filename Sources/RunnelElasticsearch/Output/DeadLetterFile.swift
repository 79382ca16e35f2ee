import Foundation
import RunnelCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where documents Elasticsearch refused for good go (mapping conflicts, bad documents): one JSON
/// line each, `{"time":…,"index_action":{…},"status":400,"error":{…},"document":{…}}`, holding
/// the original action and document as sent and Elasticsearch's error, appended with `write(2)`
/// before the message is confirmed, so it survives the agent being killed.
final class DeadLetterFile: Sendable {
    let path: String
    /// The descriptor, opened on first use so an output that never dead-letters creates no file.
    private let descriptor = Mutex<Int32>(-1)

    init(path: String) {
        self.path = path
    }

    deinit {
        let fd = descriptor.withLock { $0 }
        if fd >= 0 { close(fd) }
    }

    struct Entry {
        var action: ArraySlice<UInt8>
        var document: ArraySlice<UInt8>
        var status: Int
        var error: JSONValue?
        var reason: String
    }

    /// Appends the entries; throws when the file cannot be written (the messages then stay
    /// unconfirmed and are retried later rather than lost).
    func append(_ entries: [Entry]) throws {
        guard !entries.isEmpty else { return }
        var text: [UInt8] = []
        let now = Self.timestamp()
        for entry in entries {
            var writer = JSONWriter(reservingCapacity: 256 + entry.document.count)
            writer.beginObject()
            writer.key("time")
            writer.string(now)
            writer.key("status")
            writer.integer(entry.status)
            writer.key("reason")
            writer.string(entry.reason)
            writer.key("error")
            writer.value(entry.error ?? .null)
            writer.key("action")
            writer.value(Self.json(entry.action))
            writer.key("document")
            writer.value(Self.json(entry.document))
            writer.endObject()
            writer.lineBreak()
            writer.append(to: &text)
        }
        try descriptor.withLock { fd in
            if fd < 0 {
                let folder = (path as NSString).deletingLastPathComponent
                if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
                if fd < 0 { throw DeadLetterError(path: path, message: String(cString: strerror(errno))) }
            }
            var written = 0
            while written < text.count {
                let result = text.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw DeadLetterError(path: path, message: String(cString: strerror(errno)))
                }
                written += result
            }
        }
    }

    /// The text parsed, so it is embedded as JSON; a string when it is not JSON.
    private static func json(_ bytes: ArraySlice<UInt8>) -> JSONValue {
        (try? JSONReader.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
    }

    private static func timestamp() -> String {
        let nanoseconds = WallClock.nowNanoseconds()
        let time = CivilTime(nanosecondsSinceEpoch: nanoseconds)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", time.year, time.month, time.day,
                      time.hour, time.minute, time.second, time.nanosecond / 1_000_000)
    }
}

struct DeadLetterError: Error, CustomStringConvertible {
    let path: String
    let message: String
    var description: String { "dead-letter file \(path): \(message)" }
}
