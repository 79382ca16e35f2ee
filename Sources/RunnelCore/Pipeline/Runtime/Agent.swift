import Logging
import Synchronization

/// Why the agent stopped, and the exit status it implies.
public enum AgentExit: Sendable, Equatable {
    /// A signal or an input that finished asked for shutdown; everything drained as far as the
    /// deadline allowed.
    case completed
    /// A plugin without `can_exit` ran out of retries.
    case pluginFailed(plugin: String, error: String)
}

/// The running pipeline (DESIGN §6): one task per input, filter and output, a router between them,
/// checkpoints saved on an interval, and a phased shutdown that stops the inputs, lets filters and
/// then outputs drain, waits for confirmations up to `shutdown_timeout`, and saves checkpoints.
public final class Agent: Sendable {
    public let hostname: String
    public let global: GlobalOptions
    let logger: Logger
    let router: Router
    let checkpointFolder: String
    let state = Mutex(State())
    private let stopSignal: AsyncStream<AgentExit>
    private let stopContinuation: AsyncStream<AgentExit>.Continuation
    public let startedAt = WallClock.nowNanoseconds()

    struct State {
        var inputs: [RunningInput] = []
        var filters: [RunningDestination] = []
        var outputs: [RunningDestination] = []
        /// Running tasks by plugin name.
        var tasks: [String: Task<Void, Never>] = [:]
        var stopRequested = false
        var liveInputs = 0
        var running = false
    }

    var inputs: [RunningInput] { state.withLock { $0.inputs } }
    var filters: [RunningDestination] { state.withLock { $0.filters } }
    var outputs: [RunningDestination] { state.withLock { $0.outputs } }

    public init(plan: PipelinePlan, global: GlobalOptions, hostname: String, logger: Logger) throws(CheckpointStore.IOError) {
        self.hostname = hostname
        self.global = global
        self.logger = logger
        (stopSignal, stopContinuation) = AsyncStream<AgentExit>.makeStream()
        let checkpointFolder = global.baseDir + "/checkpoints"
        try CheckpointStore.makeDirectory(checkpointFolder)
        self.checkpointFolder = checkpointFolder
        router = Router(routes: [])
        let filters = plan.filters.map { makeDestination(.filter($0)) }
        let outputs = plan.outputs.map { makeDestination(.output($0)) }
        let inputs = plan.inputs.map { makeInput($0) }
        router.replaceRoutes((filters + outputs).map(\.route))
        state.withLock { state in
            state.filters = filters
            state.outputs = outputs
            state.inputs = inputs
        }
    }

    func makeDestination(_ kind: RunningDestination.Kind) -> RunningDestination {
        let (name, matcher, queueSettings): (String, MessageMatcher, PipelinePlan.QueueSettings) = switch kind {
        case .filter(let plan): (plan.config.name, plan.matcher, plan.queue)
        case .output(let plan): (plan.config.name, plan.matcher, plan.queue)
        }
        let queue = Self.makeQueue(queueSettings, global: global)
        let counters = PluginCounters(name: name)
        return RunningDestination(name: name, matcher: matcher, queue: queue, kind: kind, counters: counters,
                                  buffer: makeBuffer(kind, intake: queue, counters: counters))
    }

    func makeInput(_ plan: PipelinePlan.InputPlan) -> RunningInput {
        RunningInput(plan: plan, checkpoints: StreamCheckpoints(
            store: CheckpointStore(directory: checkpointFolder, inputName: plan.config.name)))
    }

    static func makeQueue(_ settings: PipelinePlan.QueueSettings, global: GlobalOptions) -> BatchQueue {
        BatchQueue(capacityBytes: settings.capacityBytes ?? global.pluginQueueBytes, policy: settings.policy)
    }

    /// Runs until shutdown is requested (`requestShutdown`), every input finished, or a plugin
    /// that may not exit failed for good; then drains and returns.
    public func run() async -> AgentExit {
        let (inputs, filters, outputs) = state.withLock { state in
            state.running = true
            state.liveInputs = state.inputs.count
            return (state.inputs, state.filters, state.outputs)
        }
        for output in outputs { start(output) }
        for filter in filters { start(filter) }
        for input in inputs { start(input) }
        if inputs.isEmpty { logger.warning("no inputs configured; nothing will be read") }

        let saver = Task { [logger] in
            while !Task.isCancelled {
                try? await Task.sleep(for: self.global.checkpointInterval)
                for input in self.inputs { input.saveCheckpoints(logger: logger) }
            }
        }
        var reason = AgentExit.completed
        for await exit in stopSignal {
            reason = exit
            break
        }
        await drain()
        saver.cancel()
        for input in self.inputs { input.saveCheckpoints(logger: logger) }
        return reason
    }

    /// Asks for a graceful shutdown (SIGTERM, SIGINT).
    public func requestShutdown() {
        stop(.completed)
    }

    func stop(_ exit: AgentExit) {
        let first = state.withLock { state -> Bool in
            defer { state.stopRequested = true }
            return !state.stopRequested
        }
        if first { stopContinuation.yield(exit) }
    }

    /// Stops the inputs, then lets filters and outputs finish what they hold, within the deadline.
    private func drain() async {
        let (inputs, filters, outputs, tasks) = state.withLock { ($0.inputs, $0.filters, $0.outputs, $0.tasks) }
        logger.info("shutting down: stopping inputs")
        let inputTasks = inputs.compactMap { tasks[$0.name] }
        for task in inputTasks { task.cancel() }
        for task in inputTasks { await task.value }

        let deadline = ContinuousClock.now + global.shutdownTimeout
        let filterTasks = filters.compactMap { tasks[$0.name] }
        for filter in filters { filter.queue.close() }
        if await !waitAll(filterTasks, until: deadline) {
            logger.warning("filters did not finish before shutdown_timeout")
        }
        let outputTasks = outputs.compactMap { tasks[$0.name] }
        for output in outputs { output.queue.close() }
        if await !waitAll(outputTasks, until: deadline) {
            logger.warning("outputs did not confirm everything before shutdown_timeout; unconfirmed messages will be read again after restart")
            for task in outputTasks + filterTasks { task.cancel() }
        }
    }

    private func waitAll(_ tasks: [Task<Void, Never>], until deadline: ContinuousClock.Instant) async -> Bool {
        let finished = Task {
            for task in tasks { await task.value }
        }
        while ContinuousClock.now < deadline {
            if await Self.isDone(finished, within: .milliseconds(50)) { return true }
        }
        return false
    }

    private static func isDone(_ task: Task<Void, Never>, within wait: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await task.value; return true }
            group.addTask { try? await Task.sleep(for: wait); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    // MARK: starting plugins

    func start(_ input: RunningInput) {
        let context = InputContext(
            name: input.name, hostname: ByteString(hostname), counters: input.counters, ledger: input.ledger,
            checkpoints: input.checkpoints, logger: logger, maxMessageSize: global.maxMessageSize,
            splitterFactory: input.plan.splitter, decoder: input.plan.decoder,
            sendDecodeFailures: input.plan.sendDecodeFailures, router: router)
        let plan = input.plan
        let task = Task { [logger] in
            let end = await supervise(input.name, policy: plan.retries, counters: input.counters, logger: logger) {
                try await plan.plugin.run(context)
            }
            self.inputEnded(input.name, end: end, canExit: plan.canExit)
        }
        state.withLock { $0.tasks[input.name] = task }
    }

    private func inputEnded(_ name: String, end: SupervisionEnd, canExit: Bool) {
        let remaining = state.withLock { state -> Int in
            state.liveInputs -= 1
            return state.liveInputs
        }
        switch end {
        case .cancelled:
            return
        case .finished:
            logger.info("input finished", metadata: ["plugin": "\(name)"])
            if !canExit || remaining == 0 { stop(.completed) }
        case .exhausted(let error):
            if canExit {
                logger.error("input stopped after its retries; the agent continues (can_exit)", metadata: ["plugin": "\(name)"])
                if remaining == 0 { stop(.completed) }
            } else {
                stop(.pluginFailed(plugin: name, error: error))
            }
        }
    }

    func start(_ destination: RunningDestination) {
        let hostBytes = ByteString(hostname)
        let task: Task<Void, Never>
        switch destination.kind {
        case .output(let plan):
            let context = OutputContext(name: destination.name, counters: destination.counters, logger: logger,
                                        encoder: plan.encoder, useFraming: plan.useFraming, queue: destination.consumerQueue)
            task = Task { [logger] in
                let buffer = destination.startBuffer()
                let end = await supervise(destination.name, policy: plan.retries, counters: destination.counters, logger: logger,
                                          beforeRestart: { context.requeueHeld() }) {
                    try await plan.plugin.run(context)
                }
                await destination.finishBuffer(buffer)
                self.destinationEnded(destination.name, end: end, canExit: plan.canExit)
            }
        case .filter(let plan):
            let context = FilterContext(name: destination.name, hostname: hostBytes, counters: destination.counters,
                                        logger: logger, maxMessageLoops: global.maxMessageLoops, router: router)
            task = Task { [logger] in
                let buffer = destination.startBuffer()
                let end = await supervise(destination.name, policy: plan.retries, counters: destination.counters, logger: logger) {
                    try await FilterLoop(plan: plan, queue: destination.consumerQueue, context: context).run()
                }
                await destination.finishBuffer(buffer)
                self.destinationEnded(destination.name, end: end, canExit: plan.canExit)
            }
        }
        state.withLock { $0.tasks[destination.name] = task }
    }

    private func destinationEnded(_ name: String, end: SupervisionEnd, canExit: Bool) {
        guard case .exhausted(let error) = end else { return }
        if canExit {
            logger.error("plugin stopped after its retries; the agent continues (can_exit)", metadata: ["plugin": "\(name)"])
        } else {
            stop(.pluginFailed(plugin: name, error: error))
        }
    }
}

/// An input with its live state.
final class RunningInput: Sendable {
    let plan: PipelinePlan.InputPlan
    let counters: PluginCounters
    let ledger = InputLedger()
    let checkpoints: StreamCheckpoints

    init(plan: PipelinePlan.InputPlan, checkpoints: StreamCheckpoints) {
        self.plan = plan
        self.counters = PluginCounters(name: plan.config.name)
        self.checkpoints = checkpoints
    }

    var name: String { plan.config.name }

    func saveCheckpoints(logger: Logger) {
        do {
            try checkpoints.save()
        } catch {
            logger.error("cannot save checkpoints", metadata: ["plugin": "\(name)", "error": "\(error)"])
        }
    }
}

/// A filter or output with its queue and counters.
final class RunningDestination: Sendable {
    enum Kind: Sendable {
        case filter(PipelinePlan.FilterPlan)
        case output(PipelinePlan.OutputPlan)
    }

    let name: String
    let queue: BatchQueue
    let counters: PluginCounters
    let kind: Kind
    let route: Route
    /// The disk queue between `queue` and the plugin (`use_buffering`).
    let buffer: DiskBuffer?

    init(name: String, matcher: MessageMatcher, queue: BatchQueue, kind: Kind, counters: PluginCounters? = nil,
         buffer: DiskBuffer? = nil) {
        self.name = name
        self.queue = queue
        self.kind = kind
        self.counters = counters ?? PluginCounters(name: name)
        self.buffer = buffer
        self.route = Route(name: name, matcher: matcher, queue: queue, counters: self.counters)
    }
}

/// Feeds a filter its batches and its ticks; a batch counts as delivered once processed.
struct FilterLoop {
    let plan: PipelinePlan.FilterPlan
    let queue: BatchQueue
    let context: FilterContext

    func run() async throws {
        var nextTick = plan.tickerInterval.map { ContinuousClock.now + $0 }
        while true {
            let wait = nextTick.map { max($0 - ContinuousClock.now, .milliseconds(1)) }
            let next: RoutedBatch? = if let wait { await queue.pop(timeout: wait) } else { await queue.pop() }
            if let next {
                context.counters.add(\.received, next.messages.count)
                do {
                    try await plan.plugin.process(next.messages, context: context.atDepth(next.loopDepth))
                } catch {
                    // The batch is settled either way, so the inputs' checkpoints never wait on it.
                    context.counters.addDropped(next.messages.count, reason: "filter_failed")
                    next.drop(reason: "filter_failed")
                    throw error
                }
                context.counters.add(\.delivered, next.messages.count)
                next.confirm()
            } else if queue.isClosedAndEmpty {
                try await plan.plugin.tick(context: context.atDepth(0))
                return
            }
            if let due = nextTick, ContinuousClock.now >= due, let interval = plan.tickerInterval {
                try await plan.plugin.tick(context: context.atDepth(0))
                nextTick = ContinuousClock.now + interval
            }
        }
    }
}
