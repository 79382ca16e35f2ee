import RunnelCore

/// An option that must be a sub-table (`[X.key]`) when present.
func subTable(_ config: PluginInstanceConfig, _ key: String) throws(PluginBuildError) -> ConfigTable? {
    guard let value = config[key] else { return nil }
    guard let table = value.tableValue else {
        throw PluginBuildError(key: key, "must be a table ([\(config.name).\(key)]), not \(value.kindDescription)")
    }
    return table
}
