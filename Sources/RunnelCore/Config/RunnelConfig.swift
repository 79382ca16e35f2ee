/// A validated configuration: the global options and every plugin instance, in file order.
public struct RunnelConfig: Sendable {
    public var global: GlobalOptions
    public var plugins: [PluginInstanceConfig]
    /// The files read, in merge order.
    public var sources: [String]

    public init(global: GlobalOptions, plugins: [PluginInstanceConfig], sources: [String]) {
        self.global = global
        self.plugins = plugins
        self.sources = sources
    }

    public func plugin(named name: String) -> PluginInstanceConfig? { plugins.first { $0.name == name } }

    public func plugins(in category: PluginCategory) -> [PluginInstanceConfig] { plugins.filter { $0.category == category } }
}

/// One plugin section, validated, with every option's default filled in. Read options with the
/// typed accessors: `config.integer("flush_count")`, `config.duration("flush_interval")`,
/// `config.strings("addrs")`, `config.bool("buffering.use_buffering")`.
public struct PluginInstanceConfig: Sendable, Equatable, ConfigOptionReading {
    /// The section name, unique in the configuration.
    public var name: String
    public var typeName: String
    public var category: PluginCategory
    /// Options by canonical name (aliases resolved), `type` excluded, defaults included.
    public var options: [String: ConfigValue]
    /// Where the section's header is.
    public var location: FileLocation

    public init(name: String, typeName: String, category: PluginCategory, options: [String: ConfigValue], location: FileLocation) {
        self.name = name
        self.typeName = typeName
        self.category = category
        self.options = options
        self.location = location
    }

    public subscript(key: String) -> ConfigValue? { value(at: key) }

    public func configValue(forKey key: String) -> ConfigValue? { options[key] }
}
