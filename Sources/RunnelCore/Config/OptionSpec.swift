/// One option of a plugin type (or of the global section): its name, type, default and the
/// line the reference docs show for it.
public struct OptionSpec: Sendable, Equatable {
    public var name: String
    public var kind: OptionKind
    /// Filled in when the option is absent.
    public var defaultValue: ConfigValue?
    public var required: Bool
    public var summary: String
    /// When set, the value must equal one of these.
    public var allowedValues: [ConfigValue]?
    /// When set, the option is accepted (and type-checked) but only warned about, with this
    /// reason: typically a Heka option with no meaning in Runnel.
    public var ignoredBecause: String?
    /// Other names accepted for this option; values are stored under `name`.
    public var aliases: [String]
    /// When set, the value (a string or an array of strings) names plugin sections of this
    /// category, and the loader checks that they exist. Defaults are not checked: a default
    /// must name a type usable without a section (`PluginSchema.implicitInstance`).
    public var references: PluginCategory?

    public init(
        _ name: String, _ kind: OptionKind, default defaultValue: ConfigValue? = nil, required: Bool = false,
        allowed allowedValues: [ConfigValue]? = nil, ignoredBecause: String? = nil, aliases: [String] = [],
        references: PluginCategory? = nil, summary: String
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.required = required
        self.summary = summary
        self.allowedValues = allowedValues
        self.ignoredBecause = ignoredBecause
        self.aliases = aliases
        self.references = references
    }
}
