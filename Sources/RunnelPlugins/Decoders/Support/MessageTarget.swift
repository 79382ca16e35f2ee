import RunnelCore

/// Where a decoded value goes, named the way Heka's `message_fields` keys and capture names name
/// it: a header variable, or a field. `name|representation` names a field with that
/// representation; a header name with a representation (`Payload|json`) is a field too, as in Heka.
enum MessageTarget: Sendable, Equatable {
    case type, logger, hostname, payload, envVersion, pid, severity, uuid, timestamp
    case field(name: ByteString, representation: ByteString?)

    init(key: String) {
        if let bar = key.firstIndex(of: "|") {
            self = .field(name: ByteString(String(key[..<bar])), representation: ByteString(String(key[key.index(after: bar)...])))
            return
        }
        switch key {
        case "Type": self = .type
        case "Logger": self = .logger
        case "Hostname": self = .hostname
        case "Payload": self = .payload
        case "EnvVersion": self = .envVersion
        case "Pid": self = .pid
        case "Severity": self = .severity
        case "Uuid": self = .uuid
        case "Timestamp": self = .timestamp
        default: self = .field(name: ByteString(key), representation: nil)
        }
    }

    var isHeader: Bool {
        if case .field = self { false } else { true }
    }
}

/// Writes text into a message at a `MessageTarget`, converting it for the numeric and structured
/// header variables; text that does not convert is a decode failure naming the target.
struct MessageValueWriter: Sendable {
    var severities: SeverityReader
    var timestamps: TimestampReader?

    func assign<C: Collection<UInt8>>(_ value: C, to target: MessageTarget, in message: inout Message,
                                      now: Int64) throws(DecodeFailure) {
        switch target {
        case .type: message.type = ByteString(bytes: value)
        case .logger: message.logger = ByteString(bytes: value)
        case .hostname: message.hostname = ByteString(bytes: value)
        case .payload: message.payload = ByteString(bytes: value)
        case .envVersion: message.envVersion = ByteString(bytes: value)
        case .field(let name, let representation):
            message.addField(Field(name: name, representation: representation, values: .string([ByteString(bytes: value)])))
        case .pid:
            // As Heka did, a fractional part ("123.0") is ignored.
            let whole = value.prefix { $0 != UInt8(ascii: ".") }
            guard let pid = asciiInt32(whole) else { throw DecodeFailure("Pid '\(textPreview(value))' is not a 32-bit integer") }
            message.pid = pid
        case .severity:
            guard let severity = severities.severity(value) else {
                throw DecodeFailure("Severity '\(textPreview(value))' is neither in severity_map, an integer, nor a level name")
            }
            message.severity = severity
        case .uuid:
            let bytes = Array(value)
            guard let uuid = bytes.count == 16 ? MessageUUID(bytes: bytes) : MessageUUID(string: String(decoding: bytes, as: UTF8.self))
            else { throw DecodeFailure("Uuid '\(textPreview(value))' is neither 16 bytes nor a UUID string") }
            message.uuid = uuid
        case .timestamp:
            guard let timestamps else { return }
            do {
                message.timestamp = try timestamps.read(value, now: now)
            } catch {
                throw DecodeFailure("Timestamp \(error.reason)")
            }
        }
    }
}
