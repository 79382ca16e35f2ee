/// What a reload changed.
public struct ReloadSummary: Sendable, Equatable {
    /// Plugins whose configuration (and the sections they use) did not change: they kept running,
    /// with their state, queues and counters.
    public var kept: [String] = []
    /// New or changed plugins started from the new configuration.
    public var started: [String] = []
    /// Removed or changed plugins stopped (after draining what they had queued).
    public var stopped: [String] = []
    /// Global options that changed but only take effect after a restart.
    public var needsRestart: [String] = []
}

extension Agent {
    /// Applies a new configuration (SIGHUP, DESIGN §6): unchanged plugins keep running untouched;
    /// changed and new filters and outputs start first and receive messages from the moment the
    /// routes switch, atomically; replaced ones drain what they had queued and stop; changed inputs
    /// stop, settle what they read (up to a few seconds), save their checkpoints, and start again
    /// from them. Nothing queued is dropped.
    public func reload(plan: PipelinePlan, global newGlobal: GlobalOptions) async -> ReloadSummary {
        var summary = ReloadSummary()
        summary.needsRestart = Self.restartOnlyChanges(from: global, to: newGlobal)
        let (oldInputs, oldFilters, oldOutputs) = state.withLock { ($0.inputs, $0.filters, $0.outputs) }

        var filters: [RunningDestination] = []
        var outputs: [RunningDestination] = []
        var fresh: [RunningDestination] = []
        for filter in plan.filters {
            if let old = oldFilters.first(where: { $0.name == filter.config.name }), case .filter(let oldPlan) = old.kind,
               oldPlan.config == filter.config {
                filters.append(old)
                summary.kept.append(old.name)
            } else {
                let created = makeDestination(.filter(filter))
                filters.append(created)
                fresh.append(created)
            }
        }
        for output in plan.outputs {
            if let old = oldOutputs.first(where: { $0.name == output.config.name }), case .output(let oldPlan) = old.kind,
               oldPlan.config == output.config, oldPlan.dependencies == output.dependencies {
                outputs.append(old)
                summary.kept.append(old.name)
            } else {
                let created = makeDestination(.output(output))
                outputs.append(created)
                fresh.append(created)
            }
        }
        let keptDestinations = Set((filters + outputs).map { ObjectIdentifier($0) })
        let retired = (oldFilters + oldOutputs).filter { !keptDestinations.contains(ObjectIdentifier($0)) }

        var inputs: [RunningInput] = []
        var startingInputs: [PipelinePlan.InputPlan] = []
        for input in plan.inputs {
            if let old = oldInputs.first(where: { $0.name == input.config.name }),
               old.plan.config == input.config, old.plan.dependencies == input.dependencies {
                inputs.append(old)
                summary.kept.append(old.name)
            } else {
                startingInputs.append(input)
            }
        }
        let keptInputs = Set(inputs.map { ObjectIdentifier($0) })
        let stoppingInputs = oldInputs.filter { !keptInputs.contains(ObjectIdentifier($0)) }

        // The running tasks, before replacements of the same name take their place in the table.
        let tasks = state.withLock { $0.tasks }
        // New destinations run before the routes point at them; the switch itself is atomic.
        for destination in fresh { start(destination) }
        router.replaceRoutes((filters + outputs).map(\.route))
        state.withLock { state in
            state.filters = filters
            state.outputs = outputs
        }
        summary.started += fresh.map(\.name)

        // Inputs that go away stop reading, settle what they read, and save their positions, so a
        // replacement of the same name resumes exactly there.
        for input in stoppingInputs {
            tasks[input.name]?.cancel()
            await tasks[input.name]?.value
            let settleBy = ContinuousClock.now + .seconds(5)
            while input.checkpoints.inFlight.values.contains(where: { $0 > 0 }) && ContinuousClock.now < settleBy {
                try? await Task.sleep(for: .milliseconds(20))
            }
            input.saveCheckpoints(logger: logger)
            summary.stopped.append(input.name)
        }
        let started = startingInputs.map { makeInput($0) }
        state.withLock { state in
            state.inputs = inputs + started
            state.liveInputs += started.count
            for input in stoppingInputs { state.tasks[input.name] = nil }
        }
        for input in started { start(input) }
        summary.started += started.map(\.name)

        // Replaced filters and outputs finish what they had queued under their old configuration.
        let deadline = ContinuousClock.now + global.shutdownTimeout
        let retiredTasks = retired.compactMap { destination in tasks[destination.name].map { (destination, $0) } }
        for destination in retired { destination.queue.close() }
        for (destination, task) in retiredTasks {
            while !(await Self.isFinished(task)) && ContinuousClock.now < deadline {}
            summary.stopped.append(destination.name)
        }
        logger.info("configuration reloaded", metadata: [
            "kept": "\(summary.kept)", "started": "\(summary.started)", "stopped": "\(summary.stopped)",
        ])
        if !summary.needsRestart.isEmpty {
            logger.warning("some global options change only after a restart", metadata: ["options": "\(summary.needsRestart)"])
        }
        return summary
    }

    private static func isFinished(_ task: Task<Void, Never>) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await task.value; return true }
            group.addTask { try? await Task.sleep(for: .milliseconds(50)); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    static func restartOnlyChanges(from old: GlobalOptions, to new: GlobalOptions) -> [String] {
        var changed: [String] = []
        if old.hostname != new.hostname { changed.append("hostname") }
        if old.baseDir != new.baseDir { changed.append("base_dir") }
        if old.adminAddress != new.adminAddress { changed.append("admin_address") }
        if old.maxMessageSize != new.maxMessageSize { changed.append("max_message_size") }
        if old.maxMessageLoops != new.maxMessageLoops { changed.append("max_message_loops") }
        if old.shutdownTimeout != new.shutdownTimeout { changed.append("shutdown_timeout") }
        if old.checkpointInterval != new.checkpointInterval { changed.append("checkpoint_interval") }
        return changed
    }
}
