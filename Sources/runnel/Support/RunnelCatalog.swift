import RunnelCore
import RunnelDocker
import RunnelKafka
import RunnelElasticsearch
import RunnelPlugins

/// The plugin types this build of Runnel implements and the matcher check used by the config loader.
enum RunnelCatalog {
    /// Every plugin target contributes its registrations here.
    static let registry = PluginRegistry(StandardPlugins.all + DockerPlugins.all + KafkaPlugins.all + ElasticsearchPlugins.all)

    static func validateMatcher(_ expression: String) -> (column: Int, message: String)? {
        do {
            _ = try MessageMatcher(expression)
            return nil
        } catch {
            return (error.column, error.message)
        }
    }
}
