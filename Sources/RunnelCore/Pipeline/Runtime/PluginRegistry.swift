/// What building a plugin section produces, by category.
public enum BuiltPlugin: Sendable {
    case input(any InputPlugin)
    case splitter(SplitterFactory)
    case decoder(any Decoder)
    case filter(any FilterPlugin)
    case encoder(any Encoder)
    case output(any OutputPlugin)
}

/// A section that validated against its schema but cannot be built (a bad regex, a template
/// that does not parse). Reported like a configuration error, at the option's place.
public struct PluginBuildError: Error, Sendable, CustomStringConvertible {
    public var key: String?
    public var message: String

    public init(key: String? = nil, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { key.map { "option '\($0)': \(message)" } ?? message }
}

/// What a plugin's builder may know beyond its own section.
public struct PluginBuildContext: Sendable {
    public var global: GlobalOptions
    public var hostname: String
    /// The decoders this section names in options that reference decoders (MultiDecoder's
    /// `subs`), built before it, by the names it uses (a section name or an implicit type).
    public var decoders: [String: any Decoder]

    public init(global: GlobalOptions, hostname: String, decoders: [String: any Decoder] = [:]) {
        self.global = global
        self.hostname = hostname
        self.decoders = decoders
    }
}

/// One plugin type: its schema (validation, defaults, docs) and how to build an instance.
public struct PluginRegistration: Sendable {
    public let schema: PluginSchema
    public let build: @Sendable (PluginInstanceConfig, PluginBuildContext) throws(PluginBuildError) -> BuiltPlugin

    public init(schema: PluginSchema,
                build: @escaping @Sendable (PluginInstanceConfig, PluginBuildContext) throws(PluginBuildError) -> BuiltPlugin) {
        self.schema = schema
        self.build = build
    }
}

/// Every plugin type a build of Runnel implements.
public struct PluginRegistry: Sendable {
    public let registrations: [String: PluginRegistration]

    public init(_ registrations: [PluginRegistration]) {
        var byType: [String: PluginRegistration] = [:]
        for registration in registrations { byType[registration.schema.typeName] = registration }
        self.registrations = byType
    }

    public var catalog: PluginCatalog { PluginCatalog(schemas: registrations.values.map(\.schema)) }

    public func registration(for typeName: String) -> PluginRegistration? { registrations[typeName] }
}
