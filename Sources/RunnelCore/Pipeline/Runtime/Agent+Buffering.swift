/// Disk queues of buffered filters and outputs (`use_buffering`, docs/disk-queue.md).
extension Agent {
    /// The disk queue for a destination that asks for one, in `base_dir/buffers/<plugin name>`.
    func makeBuffer(_ kind: RunningDestination.Kind, intake: BatchQueue, counters: PluginCounters) -> DiskBuffer? {
        let (name, settings, retries, canExit) = switch kind {
        case .filter(let plan): (plan.config.name, plan.buffering, plan.retries, plan.canExit)
        case .output(let plan): (plan.config.name, plan.buffering, plan.retries, plan.canExit)
        }
        guard let settings else { return nil }
        return DiskBuffer(
            name: name, folder: global.baseDir + "/buffers/" + Self.bufferFolderName(name), settings: settings,
            intake: intake, deliveryCapacityBytes: DiskBuffer.deliveryCapacity(forQueueBytes: intake.capacityBytes), counters: counters,
            logger: logger, retries: retries
        ) { [weak self] alarm in
            self?.bufferAlarm(alarm, plugin: name, canExit: canExit)
        }
    }

    /// The plugin name as a folder name: percent-encoded like checkpoint files, and never empty,
    /// `.` or `..` (a lone `%` cannot come out of the encoding, so the empty name gets that).
    static func bufferFolderName(_ name: String) -> String {
        let encoded = CheckpointStore.encode(name)
        if encoded.isEmpty { return "%" }
        return encoded.allSatisfy { $0 == "." } ? String(repeating: "%2E", count: encoded.count) : encoded
    }

    private func bufferAlarm(_ alarm: DiskBuffer.Alarm, plugin name: String, canExit: Bool) {
        switch alarm {
        case .full:
            stop(.pluginFailed(plugin: name, error: "disk queue full (full_action = shutdown)"))
        case .unavailable(let error):
            if canExit {
                logger.error("disk queue unavailable; the plugin gets nothing more (can_exit)", metadata: ["plugin": "\(name)"])
            } else {
                stop(.pluginFailed(plugin: name, error: error))
            }
        }
    }
}

extension RunningDestination {
    /// What the plugin consumes: the disk queue's delivery side, or the route's queue itself.
    var consumerQueue: BatchQueue { buffer?.delivery ?? queue }

    /// Starts the disk queue beside the plugin, when there is one.
    func startBuffer() -> Task<Void, Never>? {
        buffer.map { buffer in Task { await buffer.run() } }
    }

    /// After the plugin ended: the disk queue finishes too, saving a cursor that covers
    /// everything the plugin confirmed. Cancelling the plugin's task cancels the queue.
    func finishBuffer(_ running: Task<Void, Never>?) async {
        guard let running, let buffer else { return }
        buffer.consumerFinished()
        await withTaskCancellationHandler {
            await running.value
        } onCancel: {
            running.cancel()
        }
    }
}
