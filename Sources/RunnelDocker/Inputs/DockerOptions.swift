import Foundation
import RunnelCore
import RunnelHTTP

/// Options every Docker input shares, declared once and read once.
enum DockerOptions {
    static let connection: [OptionSpec] = [
        OptionSpec("endpoint", .string,
                   summary: "The Docker Engine API: `unix:///path`, `tcp://host:port` (HTTPS when `cert_path` is set), `http://` or `https://`. Defaults to `DOCKER_HOST`, else `unix:///var/run/docker.sock`."),
        OptionSpec("cert_path", .string,
                   summary: "Folder holding `ca.pem`, `cert.pem` and `key.pem` for TLS to a `tcp://` endpoint, like `DOCKER_CERT_PATH` (which is used when this is unset)."),
    ]

    static let containerFields: [OptionSpec] = [
        OptionSpec("name_from_env_var", .string,
                   summary: "When a container has this environment variable, its value becomes `ContainerName`."),
        OptionSpec("fields_from_env", .array(.string), default: .array([]),
                   summary: "Environment variables of the container added as string fields of the same name, e.g. `[\"MARATHON_APP_ID\", \"MESOS_TASK_ID\"]`."),
        OptionSpec("fields_from_labels", .array(.string), default: .array([]),
                   summary: "Container labels added as string fields of the same name."),
        OptionSpec("include", .messageMatcher,
                   summary: "Matcher over a container's fields (`ContainerName`, `ContainerImage`, `ContainerID`, the env and label fields), evaluated once per container: only matching containers are read."),
        OptionSpec("exclude", .messageMatcher,
                   summary: "Matcher over a container's fields, evaluated once per container: matching containers are not read (e.g. the agent's own container)."),
    ]

    static func endpoint(_ config: PluginInstanceConfig) throws(PluginBuildError) -> HTTPEndpoint {
        do {
            return try DockerEndpointSettings.resolve(endpoint: config.string("endpoint"), certPath: config.string("cert_path"),
                                                      environment: ProcessInfo.processInfo.environment)
        } catch {
            throw PluginBuildError(key: config.string("endpoint") == nil ? nil : "endpoint", error.description)
        }
    }

    static func selection(_ config: PluginInstanceConfig) throws(PluginBuildError) -> ContainerFieldSelection {
        var selection = ContainerFieldSelection(fieldsFromEnv: config.strings("fields_from_env") ?? [],
                                                fieldsFromLabels: config.strings("fields_from_labels") ?? [],
                                                nameFromEnvVar: config.string("name_from_env_var").flatMap { $0.isEmpty ? nil : $0 })
        for key in ["include", "exclude"] {
            guard let expression = config.string(key) else { continue }
            do {
                let matcher = try MessageMatcher(expression)
                if key == "include" { selection.include = matcher } else { selection.exclude = matcher }
            } catch {
                throw PluginBuildError(key: key, error.description)
            }
        }
        return selection
    }

    static func retries(_ config: PluginInstanceConfig) -> RetryPolicy {
        var policy = RetryPolicy.heka
        if let delay = config.duration("retries.delay") { policy.delay = delay }
        if let maxDelay = config.duration("retries.max_delay") { policy.maxDelay = maxDelay }
        if let maxJitter = config.duration("retries.max_jitter") { policy.maxJitter = maxJitter }
        return policy
    }
}
