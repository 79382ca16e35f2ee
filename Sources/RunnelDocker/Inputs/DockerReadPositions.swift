import RunnelCore
import Synchronization

/// How far each container stream has been read and handed to the pipeline, kept in memory for
/// the input's lifetime (restarts of its run included), so reconnecting after a dockerd outage
/// resumes where reading stopped rather than where outputs last confirmed (which would repeat
/// lines still in flight). A fresh input starts from the saved checkpoints.
///
/// Checkpoint keys: `<container id>/stdout` and `<container id>/stderr`, each
/// `[timestamp_ns, entries_with_that_timestamp]`; `@agent` holds `[ns]`, the last time the
/// input knew the daemon's containers (containers created after it are read when found exited).
final class DockerReadPositions: Sendable {
    static let agentKey = "@agent"

    private let positions = Mutex<[String: [DockerLogStream: DockerLogPosition]]>([:])

    static func key(_ id: String, _ stream: DockerLogStream) -> String { id + "/" + stream.name }

    /// Fills in what the checkpoints know about containers this input has not read yet.
    func adopt(_ committed: [String: [Int64]]) {
        positions.withLock { positions in
            for (key, value) in committed {
                guard let slash = key.lastIndex(of: "/"), let position = DockerLogPosition(checkpoint: value) else { continue }
                let id = String(key[..<slash])
                let stream: DockerLogStream
                switch key[key.index(after: slash)...] {
                case "stdout": stream = .stdout
                case "stderr": stream = .stderr
                default: continue
                }
                if positions[id]?[stream] == nil { positions[id, default: [:]][stream] = position }
            }
        }
    }

    func resume(for id: String) -> [DockerLogStream: DockerLogPosition] {
        positions.withLock { $0[id] ?? [:] }
    }

    func update(_ id: String, _ streams: [DockerLogStream: DockerLogPosition]) {
        positions.withLock { $0[id, default: [:]].merge(streams) { _, new in new } }
    }

    var containerIDs: Set<String> { positions.withLock { Set($0.keys) } }

    /// The newest timestamp read from a container, for expiry.
    func lastTimestamp(of id: String) -> Int64? {
        positions.withLock { $0[id]?.values.map(\.timestamp).max() }
    }

    /// Drops a container for good (removed, expired): memory and checkpoints.
    func forget(_ id: String, checkpoints: StreamCheckpoints) {
        positions.withLock { _ = $0.removeValue(forKey: id) }
        for stream in DockerLogStream.allCases { checkpoints.forget(stream: Self.key(id, stream)) }
    }

    /// Records that the daemon's container list was known at `now`.
    static func markAlive(_ checkpoints: StreamCheckpoints, now: Int64) {
        checkpoints.settle(checkpoints.begin(stream: agentKey, position: [now]))
    }
}
