/// The `[runnel]` section (Heka's `[hekad]` is accepted as an alias), with defaults applied.
public struct GlobalOptions: Sendable, Equatable {
    /// The host name Runnel reports; nil means the machine's own.
    public var hostname: String?
    /// Directory for state that outlives the process: checkpoints and disk queues.
    public var baseDir: String
    /// Largest message, in bytes, the pipeline carries.
    public var maxMessageSize: Int
    /// Address of the HTTP status and metrics server.
    public var adminAddress: String
    /// How many times a message may be re-injected by filters before it is dropped.
    public var maxMessageLoops: Int
    /// Bytes each input may have read but not yet handed to the router.
    public var inputQueueBytes: Int
    /// Bytes of messages each filter and output may have queued in memory.
    public var pluginQueueBytes: Int
    /// How long shutdown waits for outputs to confirm queued messages.
    public var shutdownTimeout: Duration
    /// How often inputs' confirmed positions are saved; a crash re-reads at most this much.
    public var checkpointInterval: Duration
    /// The section the options came from, or nil when the config has none.
    public var location: FileLocation?

    public init() {
        hostname = nil
        baseDir = "/var/lib/runnel"
        maxMessageSize = 64 * 1024
        adminAddress = "127.0.0.1:4352"
        maxMessageLoops = 4
        inputQueueBytes = 4 * 1024 * 1024
        pluginQueueBytes = 8 * 1024 * 1024
        shutdownTimeout = .seconds(30)
        checkpointInterval = .seconds(1)
        location = nil
    }

    /// Reads a validated global table (defaults already filled in).
    init(validated table: ConfigTable, location: FileLocation?) {
        self.init()
        hostname = table.string("hostname")
        baseDir = table.string("base_dir") ?? baseDir
        maxMessageSize = table.byteSize("max_message_size") ?? maxMessageSize
        adminAddress = table.string("admin_address") ?? adminAddress
        maxMessageLoops = table.integer("max_message_loops") ?? maxMessageLoops
        inputQueueBytes = table.byteSize("input_queue_bytes") ?? inputQueueBytes
        pluginQueueBytes = table.byteSize("plugin_queue_bytes") ?? pluginQueueBytes
        shutdownTimeout = table.duration("shutdown_timeout") ?? shutdownTimeout
        checkpointInterval = table.duration("checkpoint_interval") ?? checkpointInterval
        self.location = location
    }

    /// Section names that hold the global options.
    public static let sectionNames = ["runnel", "hekad"]

    public static let schema: [OptionSpec] = [
        OptionSpec("hostname", .string, summary: "Host name Runnel reports in messages and metrics. Defaults to the machine's host name."),
        OptionSpec("base_dir", .string, default: "/var/lib/runnel",
                   summary: "Directory for state that outlives the process: input checkpoints and disk queues. Must be writable."),
        OptionSpec("max_message_size", .byteSize, default: "64KiB",
                   summary: "Largest message the pipeline carries; longer records are truncated or dropped by the splitter's policy."),
        OptionSpec("admin_address", .string, default: "127.0.0.1:4352",
                   summary: "host:port of the HTTP server for `/status`, `/metrics` and the status page."),
        OptionSpec("max_message_loops", .integer, default: 4,
                   summary: "How many times filters may re-inject a message before it is dropped (stops injection loops)."),
        OptionSpec("input_queue_bytes", .byteSize, default: "4MiB",
                   summary: "Bytes each input may have read but not yet routed; a full queue pauses the input."),
        OptionSpec("plugin_queue_bytes", .byteSize, default: "8MiB",
                   summary: "Bytes of messages each filter and output may hold in memory; when full, `block` holds back the inputs."),
        OptionSpec("checkpoint_interval", .duration, default: "1s",
                   summary: "How often inputs save the positions their outputs confirmed; after a crash, at most this much is read again (delivered twice)."),
        OptionSpec("shutdown_timeout", .duration, default: "30s",
                   summary: "How long shutdown waits for outputs to confirm queued messages before exiting."),
    ] + hekadOnlyOptions

    /// Heka's hekad options that mean nothing in Runnel: accepted with a warning saying why.
    static let hekadOnlyOptions: [OptionSpec] = [
        ignored("maxprocs", .integer, "it sets Go's GOMAXPROCS; Runnel sizes its own thread pool"),
        ignored("poolsize", .integer, "Runnel has no fixed message pool; queues are bounded in bytes by plugin_queue_bytes"),
        ignored("plugin_chansize", .integer, "Runnel's queues are bounded in bytes by input_queue_bytes and plugin_queue_bytes"),
        ignored("cpuprof", .string, "it wrote a Go CPU profile; profile Runnel with perf"),
        ignored("memprof", .string, "it wrote a Go heap profile; Runnel has no built-in heap profiler"),
        ignored("max_process_inject", .integer, "it limited Lua sandbox filters, which Runnel does not run"),
        ignored("max_process_duration", .integer, "it limited Lua sandbox filters, which Runnel does not run"),
        ignored("max_timer_inject", .integer, "it limited Lua sandbox filters, which Runnel does not run"),
        ignored("max_pack_idle", .duration, "it tuned Heka's leak detector for pooled message packs; Runnel does not pool messages"),
        ignored("share_dir", .string, "it held Lua modules and dashboard files for Heka's sandboxes, which Runnel does not use"),
        ignored("sample_denominator", .integer, "it set Heka's timing sample rate; Runnel's /metrics counters are always exact"),
        ignored("pid_file", .string, "Runnel writes no pid file; its supervisor (systemd, Marathon) tracks the process"),
        ignored("log_flags", .integer, "it set Go's log prefix; Runnel's log format is fixed"),
        ignored("full_buffer_max_retries", .integer,
                "it delayed Heka's startup after a full disk buffer; Runnel replays disk queues at startup without waiting"),
    ]

    private static func ignored(_ name: String, _ kind: OptionKind, _ reason: String) -> OptionSpec {
        OptionSpec(name, kind, ignoredBecause: reason, summary: "Heka option, accepted and ignored: \(reason).")
    }
}
