/// What the output does with one item after Elasticsearch answered for it.
enum BulkItemOutcome: Equatable {
    /// 2xx: stored.
    case stored
    /// 409 on `create` with an `_id` we chose: an earlier attempt stored it (a retry after a lost
    /// response, or a restart that read the message again).
    case duplicate
    /// Elasticsearch could not take it now (429, 5xx, a full write queue, a blocked cluster):
    /// send it again alone, after a backoff.
    case retry
    /// Elasticsearch will never take it as it is (a mapping conflict, a bad document): write it to
    /// the dead-letter file with the reason.
    case deadLetter

    /// Error types that mean "later", whatever the status says.
    static let transientErrorTypes: Set<String> = [
        "es_rejected_execution_exception", "cluster_block_exception", "unavailable_shards_exception",
        "node_not_connected_exception", "circuit_breaking_exception", "process_cluster_event_timeout_exception",
    ]

    static func classify(status: Int, errorType: String?, isCreate: Bool, hasID: Bool) -> BulkItemOutcome {
        if let errorType, transientErrorTypes.contains(errorType) { return .retry }
        switch status {
        case 200..<300: return .stored
        case 409 where isCreate && hasID: return .duplicate
        case 408, 429, 500..<600: return .retry
        default: return .deadLetter
        }
    }
}
