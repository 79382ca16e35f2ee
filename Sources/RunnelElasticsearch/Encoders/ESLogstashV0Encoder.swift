import RunnelCore

/// Heka's ESLogstashV0Encoder: the bulk action line, then the document in Logstash's original
/// schema: `@uuid`, `@timestamp`, `@type`, `@logger`, `@severity`, `@message` (the payload),
/// `@envversion`, `@pid`, `@source_host` and the dynamic fields inside `@fields`.
///
/// `@type` is the message's Type when `use_message_type` is set or `type_name` is empty, and the
/// interpolated `type_name` otherwise (as in Heka).
public struct ESLogstashV0Encoder: Encoder {
    static let keys: [ESMessagePart: JSONKey] = [
        .uuid: JSONKey("@uuid"), .timestamp: JSONKey("@timestamp"), .type: JSONKey("@type"),
        .logger: JSONKey("@logger"), .severity: JSONKey("@severity"), .payload: JSONKey("@message"),
        .envVersion: JSONKey("@envversion"), .pid: JSONKey("@pid"), .hostname: JSONKey("@source_host"),
        .dynamicFields: JSONKey("@fields"),
    ]

    var action: ESBulkAction
    let parts: [ESMessagePart]
    var headers: ESHeaderMembers
    var dynamicFields: ESDynamicFields
    /// The `@type` value when not the message's own Type.
    var typeName: InterpolatedTemplate?

    public init(action: ESBulkAction, parts: [ESMessagePart] = ESMessagePart.all, timestampFormat: String = "%Y-%m-%dT%H:%M:%S",
                typeName: InterpolatedTemplate?, useMessageType: Bool, dynamicFields: ESDynamicFields = ESDynamicFields())
        throws(InterpolatedTemplate.SyntaxError) {
        self.action = action
        var unique: [ESMessagePart] = []
        for part in parts where !unique.contains(part) { unique.append(part) }
        self.parts = unique
        headers = try ESHeaderMembers(timestampFormat: timestampFormat)
        self.dynamicFields = dynamicFields
        self.typeName = useMessageType || (typeName?.template.isEmpty ?? true) ? nil : typeName
    }

    public func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
        var writer = JSONWriter(reservingCapacity: 384 + (message.payload?.count ?? 0))
        action.write(for: message, into: &writer)
        writer.lineBreak()
        writer.beginObject()
        for part in parts {
            let key = Self.keys[part] ?? JSONKey(part.rawValue)
            switch part {
            case .dynamicFields:
                writer.key(key)
                writer.beginObject()
                dynamicFields.write(message.fields, into: &writer)
                writer.endObject()
            case .type where typeName != nil:
                writer.key(key)
                var rendered: [UInt8] = []
                typeName?.render(message, into: &rendered)
                // An interpolation that yields nothing falls back to the template text, as Heka did.
                writer.string(rendered.isEmpty ? Array(typeName?.template.utf8 ?? "".utf8) : rendered)
            default:
                headers.write(part, key: key, of: message, into: &writer)
            }
        }
        writer.endObject()
        writer.lineBreak()
        writer.append(to: &buffer)
    }
}
