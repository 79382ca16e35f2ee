/// A plugin type's declaration: what it is and the options it takes beyond its category's
/// common ones. Declared once per type; drives validation, defaults and the reference docs.
public struct PluginSchema: Sendable {
    public var typeName: String
    public var category: PluginCategory
    public var summary: String
    /// The plugin's own options. The category's common options (`CommonOptions`) are added
    /// automatically; an own option with the same name as a common one replaces it (to change
    /// its default, say).
    public var options: [OptionSpec]
    /// Heka had a plugin of this type, and Runnel accepts its documented options.
    public var hekaCompatible: Bool
    /// A section is not needed to use this type: `decoder = "ProtobufDecoder"` works with no
    /// `[ProtobufDecoder]` section, as in Heka for its default plugins.
    public var implicitInstance: Bool

    public init(
        typeName: String, category: PluginCategory, summary: String, options: [OptionSpec],
        hekaCompatible: Bool = false, implicitInstance: Bool = false
    ) {
        self.typeName = typeName
        self.category = category
        self.summary = summary
        self.options = options
        self.hekaCompatible = hekaCompatible
        self.implicitInstance = implicitInstance
    }

    /// Everything a section of this type accepts: common options first (replaced by own options
    /// of the same name), then the plugin's own.
    public var effectiveOptions: [OptionSpec] {
        let ownNames = Set(options.map(\.name))
        return CommonOptions.options(for: category).filter { !ownNames.contains($0.name) } + options
    }
}
