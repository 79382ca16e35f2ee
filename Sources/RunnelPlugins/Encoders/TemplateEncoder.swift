import RunnelCore

/// Writes each message as a line built from a template of header variables and fields, e.g.
/// `%{Fields[MARATHON_APP_ID]} %{Fields[ContainerName]} %{Logger}: %{Payload}`: the console view
/// of tagged logs (Vector's `text` codec with a template, Fluent Bit's `template` format).
public struct TemplateEncoder: Encoder {
    public let template: InterpolatedTemplate
    public var appendNewlines: Bool

    public init(template: InterpolatedTemplate, appendNewlines: Bool = true) {
        self.template = template
        self.appendNewlines = appendNewlines
    }

    public func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
        template.render(message, into: &buffer)
        if appendNewlines { buffer.append(0x0A) }
    }
}

extension TemplateEncoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "TemplateEncoder", category: .encoder,
            summary: "One line per message from a template of `%{…}` placeholders (header variables, `%{Fields[name]}`, `%{%Y-%m-%d}` time codes), e.g. `%{Fields[MARATHON_APP_ID]} %{Logger}: %{Payload}`.",
            options: [
                OptionSpec("template", .string, required: true,
                           summary: "The line. Placeholders: `%{Type}`, `%{Logger}`, `%{Hostname}`, `%{Payload}`, `%{Severity}`, `%{Pid}`, `%{Uuid}`, `%{Timestamp}` (ns), `%{Fields[name]}` (first value), and strftime codes on the message time such as `%{%Y-%m-%dT%H:%M:%S}` (UTC)."),
                OptionSpec("missing", .string, default: "-", summary: "What a placeholder the message lacks renders as."),
                OptionSpec("append_newlines", .bool, default: true, summary: "End each message with a newline."),
            ])
    ) { config, _ throws(PluginBuildError) in
        let text = config.string("template") ?? ""
        do {
            let template = try InterpolatedTemplate(text, missing: config.string("missing") ?? "-")
            return .encoder(TemplateEncoder(template: template, appendNewlines: config.bool("append_newlines") ?? true))
        } catch {
            throw PluginBuildError(key: "template", "\(error)")
        }
    }
}
