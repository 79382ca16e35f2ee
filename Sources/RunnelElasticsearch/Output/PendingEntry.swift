import RunnelCore

/// What waits for a request: a message not encoded yet (it is encoded in its request's task, so
/// requests in flight encode in parallel) or an item already encoded (a retry or a split).
enum PendingEntry: Sendable {
    case message(Message, tracker: BatchTracker, position: Int, estimate: Int)
    case item(BulkItem)

    /// The bytes it holds or is expected to take once encoded (the message's size plus the action
    /// line and JSON punctuation), counted against `flush_bytes` and the held-bytes limit.
    var bytes: Int {
        switch self {
        case .message(_, _, _, let estimate): estimate
        case .item(let item): item.lines.count
        }
    }

    static func estimate(_ message: Message) -> Int { message.estimatedByteSize + 128 }
}
