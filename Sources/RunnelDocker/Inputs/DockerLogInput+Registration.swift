import RunnelCore

extension DockerLogInput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "DockerLogInput", category: .input,
            summary: "Every container's stdout and stderr, one `DockerLog` message per line with Docker's timestamp and the container's fields; checkpointed per container stream, so restarts and dockerd outages lose and repeat nothing.",
            options: DockerOptions.connection + DockerOptions.containerFields + [
                OptionSpec("since_path", .string,
                           ignoredBecause: "Runnel keeps the per-container positions with the other checkpoints under `[runnel] base_dir`",
                           summary: "Heka's file of per-container `since` times."),
                OptionSpec("since_interval", .duration, default: "5s",
                           summary: "How often the input records that it knows the daemon's containers: containers created after that time and found stopped at the next start are read too. Positions themselves are checkpointed as outputs confirm lines."),
                OptionSpec("container_expiry_days", .integer, default: 30,
                           summary: "Positions of stopped containers not read for this many days are forgotten."),
                OptionSpec("new_containers_replay_logs", .bool, default: true,
                           summary: "At the very first start (no checkpoints yet), read the containers already running from the beginning of their logs; when false, from that moment on. Containers that start later are always read from their beginning."),
                OptionSpec("log_source", .string, default: "api",
                           summary: "`api` reads logs through dockerd (`GET /containers/{id}/logs`); `json-file` reads the containers' json-file log files directly (dockerd then spends no CPU on logs; the files must be readable); `auto` reads the file where it is readable and the API otherwise. See docs/docker.md for when to use each."),
                OptionSpec("json_file_root", .string,
                           summary: "Where the daemon's `containers` folder (`/var/lib/docker/containers`) is mounted when the agent sees it elsewhere (an agent in a container); logs are read as `<json_file_root>/<id>/<id>-json.log`. Unset: the `LogPath` dockerd reports."),
                OptionSpec("splitter", .string, references: .splitter,
                           summary: "By default each Docker line (the parts Docker split at 16 KiB joined again) is one message; a splitter cuts each stream's lines differently, e.g. a RegexSplitter joining stack traces."),
            ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        var options = DockerLogInput.Options(endpoint: try DockerOptions.endpoint(config), selection: try DockerOptions.selection(config))
        options.newContainersReplayLogs = config.bool("new_containers_replay_logs") ?? true
        let days = config.integer("container_expiry_days") ?? 30
        guard days > 0 else { throw PluginBuildError(key: "container_expiry_days", "must be at least 1") }
        options.containerExpiry = .seconds(days * 86_400)
        if let interval = config.duration("since_interval") {
            guard interval > .zero else { throw PluginBuildError(key: "since_interval", "must be positive") }
            options.aliveInterval = interval
        }
        options.retry = DockerOptions.retries(config)
        if let source = config.string("log_source") {
            guard let parsed = DockerLogInput.LogSource(rawValue: source) else {
                throw PluginBuildError(key: "log_source", "must be \"api\", \"json-file\" or \"auto\", not \"\(source)\"")
            }
            options.logSource = parsed
        }
        options.jsonFileRoot = config.string("json_file_root").flatMap { $0.isEmpty ? nil : $0 }
        return .input(DockerLogInput(options: options))
    }
}
