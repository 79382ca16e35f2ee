import RunnelCore

/// Builds the raw message for a record read by a byte-stream input (file, TCP, UDP, stdin), the
/// way Heka's inputs did: Payload = the record, Type and Logger naming the source, this host's name,
/// a fresh uuid and the time of reading. A record cut at `max_message_size` carries the bool field
/// `truncated`.
///
/// Unlike Heka, the delimiter that ended the record (and a carriage return before a newline) is
/// not part of the Payload: Heka kept it, which made every PayloadEncoder line end in two newlines.
public struct RecordMessages {
    public var type: ByteString
    public var logger: ByteString
    public var hostname: ByteString
    private var ids = MessageIDGenerator()

    public init(type: ByteString, logger: ByteString, hostname: ByteString) {
        self.type = type
        self.logger = logger
        self.hostname = hostname
    }

    /// Given the record's last reference (`consume record`), the payload takes over its buffer,
    /// trimmed of the delimiter in place, instead of copying the content out of it.
    public mutating func message(for record: consuming SplitRecord, timestamp: Int64) -> Message {
        let contentCount = record.content.count
        var bytes: [UInt8] = []
        swap(&bytes, &record.bytes)
        if contentCount < bytes.count { bytes.removeSubrange(contentCount...) }
        var message = Message(uuid: ids.uuid(), timestamp: timestamp, type: type, logger: logger,
                              payload: ByteString(bytes), hostname: hostname)
        if record.truncated { message.fields.append(.bool("truncated", true)) }
        return message
    }
}
