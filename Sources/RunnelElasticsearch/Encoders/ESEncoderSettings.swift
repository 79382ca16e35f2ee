import RunnelCore

/// The options ESJsonEncoder and ESLogstashV0Encoder share (Heka's, plus `es_version`,
/// `deterministic_id`, `deterministic_id_fields` and `action`), read from a section.
struct ESEncoderSettings {
    static func options(defaultIndex: String) -> [OptionSpec] {
        [
            OptionSpec("index", .string, default: .string(defaultIndex),
                       summary: "Index name; interpolates `%{Type}`, `%{Hostname}`, `%{Fields[name]}` (or a bare field name) and strftime codes `%{%Y.%m.%d}`. Lower-cased and made legal (`/web/api` → `web-api`)."),
            OptionSpec("type_name", .string, default: "message",
                       summary: "Document `_type` (interpolated); written only for `es_version` below 7, which still had mapping types."),
            OptionSpec("es_version", .integer, default: 7,
                       summary: "Major version of the Elasticsearch cluster: from 7 on, the action line carries no `_type`."),
            OptionSpec("fields", .array(.string), default: .array(ESMessagePart.all.map { .string($0.rawValue) }),
                       summary: "Message parts in the document, in order: Uuid, Timestamp, Type, Logger, Severity, Payload, EnvVersion, Pid, Hostname, DynamicFields."),
            OptionSpec("timestamp", .string, default: "%Y-%m-%dT%H:%M:%S",
                       summary: "strftime format of the Timestamp member (UTC): %Y %y %m %d %H %M %S %j %b %a %s."),
            OptionSpec("es_index_from_timestamp", .bool, default: false,
                       summary: "Render time codes in `index` from the message's timestamp instead of the current time."),
            OptionSpec("id", .string,
                       summary: "Document `_id` (interpolated, e.g. `%{Fields[request_id]}`); omitted when it renders empty, letting Elasticsearch choose."),
            OptionSpec("deterministic_id", .bool, default: false,
                       summary: "Compute `_id` by hashing `deterministic_id_fields`, so a message sent again after a retry or restart is not stored twice (with `action = \"create\"`, the default then)."),
            OptionSpec("deterministic_id_fields", .array(.string), default: .array(DeterministicDocumentID.defaultParts.map { .string($0) }),
                       summary: "Values hashed into the deterministic id: header names, `Fields[name]` or templates."),
            OptionSpec("action", .string, allowed: ["index", "create"],
                       summary: "Bulk action: `index` (replace) or `create` (a second copy is refused with 409). Default: `create` with `deterministic_id`, else `index`."),
            OptionSpec("raw_bytes_fields", .array(.string), default: [],
                       summary: "Dynamic fields whose value is inserted as JSON (when it parses as JSON; as a string otherwise)."),
            OptionSpec("dynamic_fields", .array(.string), default: [],
                       summary: "Dynamic fields to include; all when empty. Needs DynamicFields in `fields`."),
            OptionSpec("replace_dots_with", .string, default: ".",
                       summary: "Replacement for `.` in dynamic field names."),
        ]
    }

    let action: ESBulkAction
    let parts: [ESMessagePart]
    let timestampFormat: String
    let dynamicFields: ESDynamicFields
    let typeName: InterpolatedTemplate

    init(_ config: PluginInstanceConfig, defaultIndex: String) throws(PluginBuildError) {
        func template(_ key: String, _ text: String, missing: String = "") throws(PluginBuildError) -> InterpolatedTemplate {
            do {
                // Heka spelled the uuid placeholder UUID.
                return try InterpolatedTemplate(text.replacingOccurrences(of: "%{UUID}", with: "%{Uuid}"), missing: missing)
            } catch {
                throw PluginBuildError(key: key, error.description)
            }
        }
        var parts: [ESMessagePart] = []
        for name in config.strings("fields") ?? ESMessagePart.all.map(\.rawValue) {
            guard let part = ESMessagePart(configName: name) else {
                throw PluginBuildError(key: "fields", "unknown value '\(name)'; expected one of \(ESMessagePart.all.map(\.rawValue).joined(separator: ", "))")
            }
            parts.append(part)
        }
        let only = config.strings("dynamic_fields") ?? []
        if !only.isEmpty && !parts.contains(.dynamicFields) {
            throw PluginBuildError(key: "dynamic_fields", "needs DynamicFields in 'fields'")
        }
        self.parts = parts
        timestampFormat = config.string("timestamp") ?? "%Y-%m-%dT%H:%M:%S"
        do {
            _ = try ESHeaderMembers(timestampFormat: timestampFormat)
        } catch {
            throw PluginBuildError(key: "timestamp", error.description)
        }
        dynamicFields = ESDynamicFields(only: only.isEmpty ? nil : Set(only.map { ByteString($0) }),
                                        raw: Set((config.strings("raw_bytes_fields") ?? []).map { ByteString($0) }),
                                        replaceDotsWith: config.string("replace_dots_with") ?? ".")
        let index = try template("index", config.string("index") ?? defaultIndex, missing: "unknown")
        typeName = try template("type_name", config.string("type_name") ?? "message")
        let esVersion = config.integer("es_version") ?? 7
        let idText = config.string("id") ?? ""
        let id = idText.isEmpty ? nil : try template("id", idText)
        var deterministic: DeterministicDocumentID?
        if config.bool("deterministic_id") ?? false {
            if id != nil { throw PluginBuildError(key: "deterministic_id", "cannot be combined with 'id'") }
            do {
                deterministic = try DeterministicDocumentID(parts: config.strings("deterministic_id_fields") ?? DeterministicDocumentID.defaultParts)
            } catch {
                throw PluginBuildError(key: "deterministic_id_fields", error.description)
            }
        }
        let kind = config.string("action").flatMap(ESBulkAction.Kind.init(rawValue:)) ?? (deterministic != nil ? .create : .index)
        action = ESBulkAction(kind: kind, index: index, typeName: esVersion < 7 ? typeName : nil, id: id,
                              deterministicID: deterministic, indexFromTimestamp: config.bool("es_index_from_timestamp") ?? false)
    }
}

extension ESEncoderSettings {
    /// The encoder `make` builds; its only failure, a timestamp format that does not parse, is
    /// reported at the `timestamp` option.
    static func built(_ make: () throws(InterpolatedTemplate.SyntaxError) -> any Encoder) throws(PluginBuildError) -> BuiltPlugin {
        do {
            return .encoder(try make())
        } catch {
            throw PluginBuildError(key: "timestamp", error.description)
        }
    }
}

extension ESJsonEncoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "ESJsonEncoder", category: .encoder,
            summary: "Elasticsearch bulk action line plus the message as a flat JSON document (Heka's clean format), for ElasticSearchOutput.",
            options: ESEncoderSettings.options(defaultIndex: "heka-%{%Y.%m.%d}") + [
                OptionSpec("field_mappings", .stringMap,
                           summary: "Renames header members, as the sub-table `[NAME.field_mappings]` (keys Timestamp, Uuid, Type, Logger, Severity, Payload, EnvVersion, Pid, Hostname), e.g. `Timestamp = \"@timestamp\"`."),
            ],
            hekaCompatible: true, implicitInstance: true)
    ) { config, _ throws(PluginBuildError) in
        let settings = try ESEncoderSettings(config, defaultIndex: "heka-%{%Y.%m.%d}")
        var keys: [ESMessagePart: String] = [:]
        for (name, key) in config.stringMap("field_mappings") ?? [:] {
            guard let part = ESMessagePart(rawValue: name), part != .dynamicFields else {
                throw PluginBuildError(key: "field_mappings", "unknown member '\(name)'; expected one of \(ESMessagePart.all.dropLast().map(\.rawValue).joined(separator: ", "))")
            }
            keys[part] = key
        }
        return try ESEncoderSettings.built { () throws(InterpolatedTemplate.SyntaxError) in
            try ESJsonEncoder(action: settings.action, parts: settings.parts, keys: keys,
                              timestampFormat: settings.timestampFormat, dynamicFields: settings.dynamicFields)
        }
    }
}

extension ESLogstashV0Encoder {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "ESLogstashV0Encoder", category: .encoder,
            summary: "Elasticsearch bulk action line plus the message in Logstash's original (v0) schema (`@message`, `@fields`, …).",
            options: ESEncoderSettings.options(defaultIndex: "logstash-%{%Y.%m.%d}") + [
                OptionSpec("use_message_type", .bool, default: false,
                           summary: "Write the message's Type as `@type` instead of the interpolated `type_name`."),
            ],
            hekaCompatible: true, implicitInstance: true)
    ) { config, _ throws(PluginBuildError) in
        let settings = try ESEncoderSettings(config, defaultIndex: "logstash-%{%Y.%m.%d}")
        return try ESEncoderSettings.built { () throws(InterpolatedTemplate.SyntaxError) in
            try ESLogstashV0Encoder(action: settings.action, parts: settings.parts, timestampFormat: settings.timestampFormat,
                                    typeName: settings.typeName, useMessageType: config.bool("use_message_type") ?? false,
                                    dynamicFields: settings.dynamicFields)
        }
    }
}
