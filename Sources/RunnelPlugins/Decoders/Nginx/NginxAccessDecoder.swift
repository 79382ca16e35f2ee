import RunnelCore

/// Decodes nginx access log lines written with a given `log_format` (Heka's Lua `nginx_access`
/// decoder, natively). The format is compiled once into a byte parser (`NginxLineParser`); each
/// variable becomes a field named after it, typed as `NginxValueKind` says, `$time_local`,
/// `$time_iso8601` or `$msec` set the Timestamp, and `$request` also gives `request_method`,
/// `request_uri` and `server_protocol` (unless `split_request` is off or the format logs those
/// itself). A value of `-` adds no field (Heka kept the string "-").
///
/// A line that does not fit the format, text after the last variable included, is a decode
/// failure naming the column where reading stopped (Heka ignored trailing text).
public struct NginxAccessDecoder: Decoder {
    let parser: NginxLineParser
    let type: ByteString?
    let keepPayload: Bool
    let userAgent: UserAgentOptions?
    let fieldCapacity: Int

    struct UserAgentOptions: Sendable {
        /// Keep `http_user_agent` beside the summary fields.
        var keep: Bool
        /// Keep it only when no browser was recognised.
        var keepWhenUnrecognised: Bool
    }

    static let userAgentField: ByteString = "http_user_agent"
    static let browserField: ByteString = "user_agent_browser"
    static let versionField: ByteString = "user_agent_version"
    static let osField: ByteString = "user_agent_os"

    public init(logFormat: String, type: String? = "nginx.access", splitRequest: Bool = true, keepPayload: Bool = false,
                userAgentTransform: Bool = false, userAgentKeep: Bool = false,
                userAgentConditional: Bool = false) throws(PluginBuildError) {
        let format: NginxLogFormat
        do {
            format = try NginxLogFormat(logFormat)
        } catch {
            throw PluginBuildError(key: "log_format", error.message)
        }
        let names = Set(format.variables.map(\.name))
        let logsParts = !names.isDisjoint(with: ["request_method", "request_uri", "server_protocol"])
        parser = NginxLineParser(format: format, splitRequest: splitRequest && !logsParts)
        self.type = type.map { ByteString($0) }
        self.keepPayload = keepPayload
        userAgent = userAgentTransform && names.contains("http_user_agent")
            ? UserAgentOptions(keep: userAgentKeep, keepWhenUnrecognised: userAgentConditional) : nil
        fieldCapacity = format.variables.count + 3
    }

    public func decode(_ message: Message) throws(DecodeFailure) -> [Message] {
        guard let payload = message.payload else { throw DecodeFailure("no payload to decode") }
        var decoded = message
        if !keepPayload { decoded.payload = nil }
        if let type { decoded.type = type }
        decoded.fields.reserveCapacity(decoded.fields.count + fieldCapacity)
        do {
            try payload.bytes.withUnsafeBufferPointer { (line) throws(NginxLineParser.Failure) in
                try parser.parse(line, into: &decoded)
            }
        } catch {
            throw DecodeFailure(error.description)
        }
        if let userAgent { summarizeUserAgent(&decoded, userAgent) }
        return [decoded]
    }

    private func summarizeUserAgent(_ message: inout Message, _ options: UserAgentOptions) {
        guard let index = message.fields.firstIndex(where: { $0.name == Self.userAgentField }),
              case .string(let values) = message.fields[index].values, let agent = values.first else { return }
        let summary = UserAgentSummary(agent.bytes)
        if !(options.keep || (options.keepWhenUnrecognised && summary.browser == nil)) {
            message.fields.remove(at: index)
        }
        if let browser = summary.browser { message.fields.append(.string(Self.browserField, browser)) }
        if let version = summary.version { message.fields.append(.integer(Self.versionField, version)) }
        if let os = summary.os { message.fields.append(.string(Self.osField, os)) }
    }

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "NginxAccessDecoder", category: .decoder,
            summary: "Decodes nginx access log lines written with the given log_format into typed fields; the time variable sets the Timestamp.",
            options: [
                OptionSpec("log_format", .string,
                           default: #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#,
                           summary: "The `log_format` string from nginx.conf; the default is nginx's `combined`."),
                OptionSpec("message_type", .string, default: "nginx.access",
                           summary: "Type of the decoded messages (Heka's Lua decoder called it `type`, which in Runnel names the plugin)."),
                OptionSpec("split_request", .bool, default: true,
                           summary: "Also split `$request` into `request_method`, `request_uri` and `server_protocol` fields."),
                OptionSpec("payload_keep", .bool, default: false, aliases: ["keep_payload"],
                           summary: "Keep the log line as the Payload; by default it is cleared, the fields holding its content."),
                OptionSpec("user_agent_transform", .bool, default: false,
                           summary: "Replace `http_user_agent` by `user_agent_browser`, `user_agent_version` (integer) and `user_agent_os`, read coarsely from well-known tokens."),
                OptionSpec("user_agent_keep", .bool, default: false,
                           summary: "With `user_agent_transform`, keep `http_user_agent` too."),
                OptionSpec("user_agent_conditional", .bool, default: false,
                           summary: "With `user_agent_transform`, keep `http_user_agent` when no browser was recognised."),
            ],
            hekaCompatible: false)
    ) { config, _ throws(PluginBuildError) in
        .decoder(try NginxAccessDecoder(
            logFormat: config.string("log_format") ?? "", type: config.string("message_type"),
            splitRequest: config.bool("split_request") ?? true, keepPayload: config.bool("payload_keep") ?? false,
            userAgentTransform: config.bool("user_agent_transform") ?? false,
            userAgentKeep: config.bool("user_agent_keep") ?? false,
            userAgentConditional: config.bool("user_agent_conditional") ?? false))
    }
}
