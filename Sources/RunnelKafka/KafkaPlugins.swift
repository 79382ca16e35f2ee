import RunnelCore

/// Every plugin type in RunnelKafka, for the agent's registry and the reference docs.
public enum KafkaPlugins {
    public static let all: [PluginRegistration] = [
        KafkaOutput.registration,
        KafkaInput.registration,
    ]
}
