/// Messages on their way to one filter or output, with the acknowledgement of the input batch they
/// came from and each message's index in that batch (so a drop is attributed to the right message).
public struct RoutedBatch: Sendable {
    public var messages: [Message]
    public var origins: [Int]
    public var acknowledgement: BatchAcknowledgement?
    /// Estimated memory the batch holds, charged against the destination's queue.
    public var byteSize: Int
    /// How many filter injections deep these messages are (0 for what inputs read).
    public var loopDepth: Int

    public init(messages: [Message], origins: [Int], acknowledgement: BatchAcknowledgement?, byteSize: Int,
                loopDepth: Int = 0) {
        self.messages = messages
        self.origins = origins
        self.acknowledgement = acknowledgement
        self.byteSize = byteSize
        self.loopDepth = loopDepth
    }

    /// The destination handled every message (delivered, consumed by a filter, or written).
    public func confirm() {
        acknowledgement?.release()
    }

    /// The destination dropped every message of the batch by policy.
    public func drop(reason: String) {
        acknowledgement?.noteDropped(origins, reason: reason)
        acknowledgement?.release()
    }

    /// Some messages (indices into `messages`) were dropped, the rest delivered.
    public func settle(droppedPositions: some Sequence<Int>, reason: String) {
        acknowledgement?.noteDropped(droppedPositions.map { origins[$0] }, reason: reason)
        acknowledgement?.release()
    }
}

extension Message {
    /// The memory a message holds, roughly: what queue limits are charged in bytes.
    /// Every message is measured on its way through the router, so the fields and their values
    /// are read in place: iterating them by value retained and released every buffer they hold.
    public var estimatedByteSize: Int {
        var size = 96 + (type?.count ?? 0) + (logger?.count ?? 0) + (payload?.count ?? 0)
            + (envVersion?.count ?? 0) + (hostname?.count ?? 0)
        fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                size += 48 + fields[index].name.count + (fields[index].representation?.count ?? 0)
                size += fields[index].values.estimatedByteSize
            }
        }
        return size
    }
}

extension FieldValues {
    @inline(__always)
    var estimatedByteSize: Int {
        switch self {
        case .string(let values), .bytes(let values):
            values.withUnsafeBufferPointer { values in
                var size = 16 * values.count
                for index in values.indices { size += values[index].count }
                return size
            }
        case .integer(let values): 8 * values.count
        case .double(let values): 8 * values.count
        case .bool(let values): values.count
        }
    }
}
