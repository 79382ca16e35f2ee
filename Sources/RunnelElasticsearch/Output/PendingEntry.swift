import RunnelCore

/// What waits for a request: a message not encoded yet (it is encoded in its request's task, so
/// requests in flight encode in parallel) or an item already encoded (a retry or a split).
/// A message is named by its place in its batch rather than copied (a copy retains every member).
enum PendingEntry: Sendable {
    case message(tracker: BatchTracker, position: Int, estimate: Int)
    case item(BulkItem)

    /// The bytes it holds or is expected to take once encoded (the message's size plus the action
    /// line and JSON punctuation), counted against `flush_bytes` and the held-bytes limit.
    var bytes: Int {
        switch self {
        case .message(_, _, let estimate): estimate
        case .item(let item): item.lines.count
        }
    }

    static func estimate(_ message: Message) -> Int { message.estimatedByteSize + 128 }
}
