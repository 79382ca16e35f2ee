/// What a full disk queue does with a new batch (`[X.buffering] full_action`).
public enum DiskQueueFullAction: String, Sendable, CaseIterable {
    /// The router waits until the plugin consumed enough to free a segment: backpressure.
    case block
    /// The batch is dropped and counted as `dropped{reason="buffer_full"}`.
    case drop
    /// The agent is asked to stop (Heka's default); nothing more is written or acknowledged.
    case shutdown
}

/// The `[X.buffering]` options of a filter or output with `use_buffering = true`.
public struct DiskQueueSettings: Sendable, Equatable {
    /// Size at which a new segment file starts.
    public var maxFileSize: Int
    /// Bytes all segment files together may use; 0 means no limit.
    public var maxBufferSize: Int
    public var fullAction: DiskQueueFullAction
    /// Confirmed records between two writes of the cursor file.
    public var cursorUpdateCount: Int
    /// Bytes read from a segment at a time (the reader's memory, unless one record is larger).
    public var readChunkBytes: Int = 256 * 1024
    /// A record announcing a longer payload is treated as damage.
    public var maxRecordBytes: Int = 64 * 1024 * 1024

    public init(maxFileSize: Int = 512 * 1024 * 1024, maxBufferSize: Int = 0, fullAction: DiskQueueFullAction = .block,
                cursorUpdateCount: Int = 1) {
        self.maxFileSize = maxFileSize
        self.maxBufferSize = maxBufferSize
        self.fullAction = fullAction
        self.cursorUpdateCount = cursorUpdateCount
    }

    /// The settings of a plugin section, or nil when it does not use buffering. Absent options
    /// take the defaults declared in `CommonOptions.buffering`.
    public init?(section: some ConfigOptionReading) {
        guard section.bool("use_buffering") == true else { return nil }
        let table = section.table("buffering")
        func value(_ name: String) -> ConfigValue? {
            table?[name] ?? CommonOptions.buffering.first { $0.name == name }?.defaultValue
        }
        self.init()
        maxFileSize = value("max_file_size")?.byteSizeValue ?? maxFileSize
        maxBufferSize = value("max_buffer_size")?.byteSizeValue ?? maxBufferSize
        fullAction = value("full_action")?.stringValue.flatMap(DiskQueueFullAction.init(rawValue:)) ?? fullAction
        if let count = value("cursor_update_count")?.integerValue, let exact = Int(exactly: count) {
            cursorUpdateCount = exact
        }
    }

    /// Where segments rotate. With a `max_buffer_size`, at most a quarter of it: space comes back
    /// a whole segment at a time, so one huge segment would keep a full queue full until it is
    /// entirely consumed.
    var rotationBytes: Int {
        let limit = maxBufferSize > 0 ? min(maxFileSize, maxBufferSize / 4) : maxFileSize
        return max(1, limit)
    }
}
