/// The plugin types a Runnel build implements, by type name.
public struct PluginCatalog: Sendable {
    private let byType: [String: PluginSchema]

    /// When two schemas share a type name, the first wins.
    public init(schemas: [PluginSchema]) {
        byType = Dictionary(schemas.map { ($0.typeName, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func schema(for type: String) -> PluginSchema? { byType[type] }

    /// All schemas, by category (in `PluginCategory` order), then by type name.
    public var schemas: [PluginSchema] {
        let order = Dictionary(uniqueKeysWithValues: PluginCategory.allCases.enumerated().map { ($1, $0) })
        return byType.values.sorted {
            let left = order[$0.category] ?? 0, right = order[$1.category] ?? 0
            return left != right ? left < right : $0.typeName < $1.typeName
        }
    }

    public var typeNames: [String] { byType.keys.sorted() }
}
