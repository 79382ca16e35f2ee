/// A Heka message (DESIGN §3): header variables and an ordered list of fields.
///
/// Optional header values are nil when unset, so the protobuf encoding omits them exactly as
/// Heka's Go encoder does; readers that want Heka's defaults use `effectiveSeverity` (unset reads 7)
/// or treat a nil string as empty.
public struct Message: Sendable, Equatable {
    public var uuid: MessageUUID?
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var type: ByteString?
    public var logger: ByteString?
    public var severity: Int32?
    public var payload: ByteString?
    public var envVersion: ByteString?
    public var pid: Int32?
    public var hostname: ByteString?
    public var fields: [Field]

    public static let defaultSeverity: Int32 = 7

    /// Inlinable: called from another module, the initializer built the message in its own frame
    /// and copied it out (a retain and a release of every buffer), once for every message an
    /// input makes.
    @inlinable
    public init(
        uuid: MessageUUID? = nil,
        timestamp: Int64 = 0,
        type: ByteString? = nil,
        logger: ByteString? = nil,
        severity: Int32? = nil,
        payload: ByteString? = nil,
        envVersion: ByteString? = nil,
        pid: Int32? = nil,
        hostname: ByteString? = nil,
        fields: [Field] = []
    ) {
        self.uuid = uuid
        self.timestamp = timestamp
        self.type = type
        self.logger = logger
        self.severity = severity
        self.payload = payload
        self.envVersion = envVersion
        self.pid = pid
        self.hostname = hostname
        self.fields = fields
    }

    public var effectiveSeverity: Int32 { severity ?? Self.defaultSeverity }

    /// The `occurrence`-th field named `name` (0-based), as `Fields[name][occurrence]` selects it.
    public func field(named name: ByteString, occurrence: Int = 0) -> Field? {
        var seen = 0
        for field in fields where field.name == name {
            if seen == occurrence { return field }
            seen += 1
        }
        return nil
    }

    /// Appends a field (names may repeat).
    public mutating func addField(_ field: Field) {
        fields.append(field)
    }

    /// Replaces the first field of that name, or appends it.
    public mutating func setField(_ field: Field) {
        if let index = fields.firstIndex(where: { $0.name == field.name }) {
            fields[index] = field
        } else {
            fields.append(field)
        }
    }
}
