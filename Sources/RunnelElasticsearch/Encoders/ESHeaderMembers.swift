import RunnelCore

/// Writes header variables as document members the way both Heka encoders do: text members as
/// strings (empty when unset), `Severity` (7 when unset) and `Pid` (0 when unset) as integers,
/// `Timestamp` in the configured strftime format (UTC).
struct ESHeaderMembers: Sendable {
    let timestampFormat: InterpolatedTemplate

    init(timestampFormat: String) throws(InterpolatedTemplate.SyntaxError) {
        self.timestampFormat = try InterpolatedTemplate(timestampFormat.contains("%") ? "%{\(timestampFormat)}" : timestampFormat)
    }

    func write(_ part: ESMessagePart, key: JSONKey, of message: Message, into writer: inout JSONWriter) {
        writer.key(key)
        switch part {
        case .uuid: writer.string(message.uuid?.string ?? "")
        case .timestamp:
            var text: [UInt8] = []
            timestampFormat.render(message, into: &text)
            writer.string(text)
        case .type: writer.string(message.type ?? .empty)
        case .logger: writer.string(message.logger ?? .empty)
        case .severity: writer.integer(Int64(message.effectiveSeverity))
        case .payload: writer.string(message.payload ?? .empty)
        case .envVersion: writer.string(message.envVersion ?? .empty)
        case .pid: writer.integer(Int64(message.pid ?? 0))
        case .hostname: writer.string(message.hostname ?? .empty)
        case .dynamicFields: writer.null()  // never asked: dynamic fields have their own writer
        }
    }
}
