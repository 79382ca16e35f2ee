/// The six kinds of plugin, named by the suffix of a plugin type (`FileOutput` is an output).
public enum PluginCategory: String, Sendable, CaseIterable {
    case input, splitter, decoder, filter, encoder, output

    /// The category of a plugin type, from its suffix; nil when the type has none of them.
    public init?(typeName: String) {
        guard let category = Self.allCases.first(where: { typeName.hasSuffix($0.typeSuffix) && typeName.count > $0.typeSuffix.count })
        else { return nil }
        self = category
    }

    /// `Input`, `Splitter`, …
    public var typeSuffix: String {
        switch self {
        case .input: return "Input"
        case .splitter: return "Splitter"
        case .decoder: return "Decoder"
        case .filter: return "Filter"
        case .encoder: return "Encoder"
        case .output: return "Output"
        }
    }

    /// "an input", "a splitter", … for messages.
    var withArticle: String { (self == .input || self == .encoder || self == .output ? "an " : "a ") + rawValue }

    /// "Inputs", "Splitters", … for headings.
    var pluralTitle: String { typeSuffix + "s" }

    static let suffixList = "Input, Splitter, Decoder, Filter, Encoder or Output"
}
