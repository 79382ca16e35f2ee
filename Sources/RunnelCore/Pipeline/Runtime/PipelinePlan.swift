/// Every plugin of a configuration, built and wired by name, ready to run: what `runnel check`
/// validates and what the agent starts.
public struct PipelinePlan: Sendable {
    public struct InputPlan: Sendable {
        public var config: PluginInstanceConfig
        /// The sections this input uses (its decoder and splitter): a reload restarts the input
        /// when any of them changed.
        public var dependencies: [PluginInstanceConfig] = []
        public var plugin: any InputPlugin
        public var splitter: SplitterFactory
        public var decoder: (any Decoder)?
        public var sendDecodeFailures: Bool
        public var canExit: Bool
        public var retries: RetryPolicy
    }

    public struct FilterPlan: Sendable {
        public var config: PluginInstanceConfig
        public var plugin: any FilterPlugin
        public var matcher: MessageMatcher
        public var tickerInterval: Duration?
        public var canExit: Bool
        public var retries: RetryPolicy
        public var queue: QueueSettings
        /// The disk queue in front of the filter (`use_buffering`), nil without one.
        public var buffering: DiskQueueSettings? = nil
    }

    /// The in-memory queue in front of a filter or output.
    public struct QueueSettings: Sendable, Equatable {
        /// nil: the global `plugin_queue_bytes`.
        public var capacityBytes: Int?
        public var policy: QueueFullPolicy
    }

    public struct OutputPlan: Sendable {
        public var config: PluginInstanceConfig
        /// The sections this output uses (its encoder).
        public var dependencies: [PluginInstanceConfig] = []
        public var plugin: any OutputPlugin
        public var matcher: MessageMatcher
        public var encoder: (any Encoder)?
        public var useFraming: Bool
        public var canExit: Bool
        public var retries: RetryPolicy
        public var queue: QueueSettings
        /// The disk queue in front of the output (`use_buffering`), nil without one.
        public var buffering: DiskQueueSettings? = nil
    }

    public var inputs: [InputPlan] = []
    public var filters: [FilterPlan] = []
    public var outputs: [OutputPlan] = []
}

/// Inputs that cut their byte streams into records choose a splitter when none is configured.
public protocol DefaultSplitterProviding {
    func defaultSplitter(limits: SplitterLimits) -> SplitterFactory
}
