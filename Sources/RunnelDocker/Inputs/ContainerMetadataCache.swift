import Synchronization

/// Container metadata by id, so a container is inspected once per lifetime (restarts and
/// reconnects included); `.some(nil)` records a container left out by include/exclude.
final class ContainerMetadataCache: Sendable {
    private let entries = Mutex<[String: ContainerMetadata?]>([:])

    func lookup(_ id: String) -> ContainerMetadata?? {
        entries.withLock { $0[id] }
    }

    func store(_ id: String, _ metadata: ContainerMetadata?) {
        entries.withLock { $0[id] = .some(metadata) }
    }

    func remove(_ id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}
