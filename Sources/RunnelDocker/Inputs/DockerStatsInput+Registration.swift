import RunnelCore

extension DockerStatsInput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "DockerStatsInput", category: .input,
            summary: "Every running container's CPU, memory, block I/O, network and process counts each `ticker_interval`, one `DockerStats` message per container with numeric fields and the container's fields.",
            options: DockerOptions.connection + DockerOptions.containerFields + [
                OptionSpec("ticker_interval", .duration, default: "10s", summary: "How often every running container is sampled."),
                OptionSpec("source", .string, default: "auto", allowed: ["auto", "api", "cgroupfs"],
                           summary: "Where counters come from: `api` (the Docker API, anywhere), `cgroupfs` (cgroup v1/v2 files and procfs, much cheaper; the agent must see the host's), or `auto` (cgroupfs where readable, else the API)."),
                OptionSpec("cgroup_root", .string, default: "/sys/fs/cgroup",
                           summary: "Where the host's cgroup filesystem is mounted (for an agent in a container)."),
                OptionSpec("proc_root", .string, default: "/proc",
                           summary: "Where the host's procfs is mounted (network counters, total CPU time)."),
                OptionSpec("api_concurrency", .integer, default: 8, summary: "Stats API calls in flight at once."),
            ],
            hekaCompatible: true)
    ) { config, _ throws(PluginBuildError) in
        var options = DockerStatsInput.Options(endpoint: try DockerOptions.endpoint(config), selection: try DockerOptions.selection(config))
        if let interval = config.duration("ticker_interval") {
            guard interval >= .milliseconds(100) else { throw PluginBuildError(key: "ticker_interval", "must be at least 100ms") }
            options.tickerInterval = interval
        }
        options.source = DockerStatsInput.Source(rawValue: config.string("source") ?? "auto") ?? .auto
        options.cgroupRoot = config.string("cgroup_root") ?? options.cgroupRoot
        options.procRoot = config.string("proc_root") ?? options.procRoot
        options.concurrency = max(1, config.integer("api_concurrency") ?? 8)
        options.retry = DockerOptions.retries(config)
        return .input(DockerStatsInput(options: options))
    }
}
