import RunnelCore

/// Every plugin type in RunnelDocker, for the agent's registry and the reference docs.
public enum DockerPlugins {
    public static let all: [PluginRegistration] = [
        DockerLogInput.registration,
        DockerStatsInput.registration,
        DockerEventInput.registration,
    ]
}
