/// A snapshot of the running agent for `/status`, `/metrics` and the status page.
public struct AgentStatus: Sendable {
    public struct PluginStatus: Sendable {
        public var name: String
        public var typeName: String
        public var category: PluginCategory
        public var counters: PluginCounters.Values
        /// Filters and outputs: what waits in their queue.
        public var queueBytes: Int?
        public var queueBatches: Int?
        /// Buffered filters and outputs (`use_buffering`): their disk queue, once open.
        public var diskQueue: DiskQueueStats?
        /// Inputs: read = delivered + unmatched + dropped + in flight.
        public var ledger: InputLedger.Snapshot?
        /// Inputs: committed position per stream.
        public var checkpoints: [String: [Int64]]?
    }

    public var version: String
    public var hostname: String
    public var startedAt: Int64
    public var now: Int64
    public var plugins: [PluginStatus]
}

extension Agent {
    public func status() -> AgentStatus {
        var plugins: [AgentStatus.PluginStatus] = []
        for input in inputs {
            plugins.append(.init(name: input.name, typeName: input.plan.config.typeName, category: .input,
                                 counters: input.counters.snapshot, ledger: input.ledger.snapshot,
                                 checkpoints: input.checkpoints.committed))
        }
        for destination in filters + outputs {
            // A buffered destination holds messages in memory on both sides of its disk queue.
            let delivery = destination.buffer?.delivery.depth ?? (bytes: 0, batches: 0)
            let depth = (bytes: destination.queue.depth.bytes + delivery.bytes, batches: destination.queue.depth.batches + delivery.batches)
            let (typeName, category): (String, PluginCategory) = switch destination.kind {
            case .filter(let plan): (plan.config.typeName, .filter)
            case .output(let plan): (plan.config.typeName, .output)
            }
            plugins.append(.init(name: destination.name, typeName: typeName, category: category,
                                 counters: destination.counters.snapshot, queueBytes: depth.bytes, queueBatches: depth.batches,
                                 diskQueue: destination.buffer?.stats))
        }
        return AgentStatus(version: RunnelVersion.current, hostname: hostname, startedAt: startedAt,
                           now: WallClock.nowNanoseconds(), plugins: plugins)
    }
}

extension Agent {
    /// A live sample of routed messages for `runnel tap`; call `endTap` when the reader goes away.
    public func tap(matcher: MessageMatcher, plugin: String?) -> MessageTap {
        let tap = MessageTap(matcher: matcher, plugin: plugin)
        router.addTap(tap)
        return tap
    }

    public func endTap(_ tap: MessageTap) {
        router.removeTap(tap)
    }
}
