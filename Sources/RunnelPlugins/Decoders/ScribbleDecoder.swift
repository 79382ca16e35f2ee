import RunnelCore

/// Sets the same values on every message (Heka's ScribbleDecoder), typically after another decoder
/// in a MultiDecoder with `cascade_strategy = "all"`. `message_fields` keys name header variables
/// (`Type`, `Logger`, `Hostname`, `Payload`, `EnvVersion`, `Pid`, `Severity`) or fields
/// (`name|representation` for a field with one); values are literal text. A field that already
/// exists is replaced rather than repeated (Heka appended a second one).
public struct ScribbleDecoder: Decoder {
    let assignments: [(target: MessageTarget, value: [UInt8])]
    private let writer = MessageValueWriter(severities: SeverityReader(), timestamps: nil)

    /// Checks every value once here (a `Pid` that is not a number fails the build, not each message).
    init(template: MessageFieldsTemplate) throws(PluginBuildError) {
        var assignments: [(MessageTarget, [UInt8])] = []
        var scratch = Message()
        for entry in template.entries {
            if entry.target == .timestamp || entry.target == .uuid {
                throw PluginBuildError(key: "message_fields.\(entry.key)",
                                       "ScribbleDecoder cannot set \(entry.key): every message would carry the same one")
            }
            let value = MessageFieldsTemplate.render(entry.parts) { _ in nil }
            do {
                try writer.assign(value, to: entry.target, in: &scratch, now: 0)
            } catch {
                throw PluginBuildError(key: "message_fields.\(entry.key)", error.reason)
            }
            assignments.append((entry.target, value))
        }
        self.assignments = assignments
    }

    public func decode(_ message: Message) throws(DecodeFailure) -> [Message] {
        var decoded = message
        for (target, value) in assignments {
            if case .field(let name, let representation) = target {
                decoded.setField(Field(name: name, representation: representation, values: .string([ByteString(value)])))
            } else {
                try writer.assign(value, to: target, in: &decoded, now: 0)
            }
        }
        return [decoded]
    }

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "ScribbleDecoder", category: .decoder,
            summary: "Sets fixed header values and fields on every message, e.g. a Type after ProtobufDecoder in a MultiDecoder.",
            options: [
                OptionSpec("message_fields", .any, required: true,
                           summary: "Table `[X.message_fields]` of header name (Type, Logger, Hostname, Payload, EnvVersion, Pid, Severity) or field name (`name|representation` for a field with one) to its value."),
            ],
            hekaCompatible: true)
    ) { config, _ throws(PluginBuildError) in
        let template = try MessageFieldsTemplate(table: try subTable(config, "message_fields"), optionKey: "message_fields",
                                                 interpolates: false)
        return .decoder(try ScribbleDecoder(template: template))
    }
}
