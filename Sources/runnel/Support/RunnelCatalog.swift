import RunnelCore

/// The plugin types this build of Runnel implements and the matcher check used by the config loader.
enum RunnelCatalog {
    /// Every plugin target contributes its schemas here as it arrives.
    static let plugins = PluginCatalog(schemas: [])

    static func validateMatcher(_ expression: String) -> (column: Int, message: String)? {
        do {
            _ = try MessageMatcher(expression)
            return nil
        } catch {
            return (error.column, error.message)
        }
    }
}
