import RunnelCore

/// Every plugin type in RunnelElasticsearch, for the agent's registry and the reference docs.
public enum ElasticsearchPlugins {
    public static let all: [PluginRegistration] = [
        ESJsonEncoder.registration,
        ESLogstashV0Encoder.registration,
        ElasticsearchOutput.registration,
    ]
}
