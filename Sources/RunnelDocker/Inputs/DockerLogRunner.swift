import RunnelCore

/// One run of a DockerLogInput: connects (again and again, with backoff), discovers containers,
/// follows them, and listens to `/events` for containers that start or go away.
struct DockerLogRunner: Sendable {
    let options: DockerLogInput.Options
    let context: InputContext
    let client: DockerClient
    let positions: DockerReadPositions
    let tracker = ContainerTracker()
    let metadata = ContainerMetadataCache()
    let connection: DockerConnectionLog
    /// Wakes json-file followers when their file changes; nil for the API or without inotify.
    let fileWatcher: FileChangeWatcher?

    init(options: DockerLogInput.Options, context: InputContext, client: DockerClient, positions: DockerReadPositions,
         fileWatcher: FileChangeWatcher? = nil) {
        self.options = options
        self.fileWatcher = fileWatcher
        self.context = context
        self.client = client
        self.positions = positions
        connection = DockerConnectionLog(logger: context.logger, plugin: context.name,
                                         endpoint: options.endpoint.unixSocketPath ?? options.endpoint.baseURL)
    }

    /// Followers live for the whole run, across reconnects: cancelling one while it waits for
    /// queue room would leave its batch unrouted after its read position had moved on. When the
    /// daemon goes away they retry on their own, and a reconnect wakes them.
    func run() async {
        await withDiscardingTaskGroup { followers in
            var failures = 0
            var generator = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                do {
                    try await runConnected(&followers)
                } catch {
                    if Task.isCancelled { break }
                    failures = connection.isUp ? 1 : failures + 1
                    let wait = options.retry.wait(beforeAttempt: failures, using: &generator)
                    connection.noteDown(error, retryIn: wait)
                    try? await Task.sleep(for: wait)
                }
            }
        }
    }

    /// Returns only by throwing: the daemon went away, or the run was cancelled.
    private func runConnected(_ followers: inout DiscardingTaskGroup) async throws {
        client.resetNegotiation()
        let api = try await client.apiVersion()
        // Events first, so a container starting while the list is read is not missed.
        let events = try await client.events(filters: ["type": ["container"], "event": ["start", "die", "destroy"]])
        defer { events.cancel() }
        let listed = try await client.containers(all: true)
        connection.noteUp(apiVersion: api)
        tracker.wakeWaiting()
        for (id, fromNow) in discover(listed) where tracker.claim(id) {
            followers.addTask { await follow(id, fromNow: fromNow) }
        }
        let checkpoints = context.checkpoints
        let interval = options.aliveInterval
        let marker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                DockerReadPositions.markAlive(checkpoints, now: WallClock.nowNanoseconds())
            }
        }
        defer { marker.cancel() }
        for try await event in events {
            switch event.action {
            case "start":
                if tracker.claim(event.id) { followers.addTask { await follow(event.id, fromNow: false) } }
            case "destroy":
                if tracker.noteDestroyed(event.id) { forget(event.id, reason: "container removed") }
            case "die":
                // An API stream ends by itself; a followed file is read to its end and left.
                tracker.noteDied(event.id)
            default:
                break
            }
        }
        throw DockerAPIError(.transport, request: "GET /events", message: "the event stream ended")
    }

    /// Which containers to read, and whether from now: running ones, stopped ones with
    /// unfinished checkpoints, and stopped ones created while the input was away.
    private func discover(_ listed: [DockerContainerSummary]) -> [(String, Bool)] {
        let committed = context.checkpoints.committed
        let lastAlive = committed[DockerReadPositions.agentKey]?.first
        let now = WallClock.nowNanoseconds()
        let known = positions.containerIDs
        var plan: [(String, Bool)] = []
        let listedIDs = Set(listed.map(\.id))
        for id in known where !listedIDs.contains(id) {
            forget(id, reason: "container removed while the input was away")
        }
        for container in listed {
            let expired = positions.lastTimestamp(of: container.id).map { now - $0 > options.containerExpiry.nanoseconds } ?? false
            switch container.state {
            case "running", "paused", "restarting":
                if expired { forget(container.id, reason: "checkpoint expired") }
                let fromNow = lastAlive == nil && !known.contains(container.id) && !options.newContainersReplayLogs
                plan.append((container.id, fromNow))
            default:
                if known.contains(container.id) {
                    if expired {
                        forget(container.id, reason: "checkpoint expired")
                    } else {
                        plan.append((container.id, false))
                    }
                } else if let lastAlive, container.created * 1_000_000_000 >= lastAlive - 60_000_000_000 {
                    plan.append((container.id, false))
                }
            }
        }
        DockerReadPositions.markAlive(context.checkpoints, now: now)
        return plan
    }

    private func forget(_ id: String, reason: String) {
        positions.forget(id, checkpoints: context.checkpoints)
        metadata.remove(id)
        context.logger.debug("forgetting container", metadata: ["plugin": "\(context.name)", "container": "\(DockerContainerID.short(id))",
                                                             "reason": "\(reason)"])
    }

    // MARK: following one container

    enum PassEnd {
        case ended
        case gone
        case excluded
        case failed(any Error)
    }

    private func follow(_ id: String, fromNow: Bool) async {
        var failures = 0
        var generator = SystemRandomNumberGenerator()
        var startFromNow = fromNow
        while !Task.isCancelled {
            let end = await pass(id, fromNow: startFromNow)
            startFromNow = false
            switch end {
            case .excluded:
                tracker.release(id)
                return
            case .gone:
                tracker.release(id)
                forget(id, reason: "container removed")
                return
            case .failed(let error):
                if Task.isCancelled { break }
                failures += 1
                // An unreachable daemon is logged once, by the connection; not once per container.
                let unreachable = (error as? DockerAPIError)?.kind == .unreachable
                if failures == 1 && !unreachable {
                    context.logger.warning("reading a container's logs failed; retrying", metadata: [
                        "plugin": "\(context.name)", "container": "\(DockerContainerID.short(id))", "error": "\(error)"])
                }
                await tracker.waitOrWake(for: options.retry.wait(beforeAttempt: failures, using: &generator))
            case .ended:
                failures = 0
                // A restart may follow a stop at once; only a container that stays down is done.
                if let details = try? await client.inspect(id), details.running || details.status == "restarting" {
                    try? await Task.sleep(for: .milliseconds(100))
                    continue
                }
                // dockerd 20.10 can end a followed stream at the container's exit before sending
                // the last lines of its log; one plain read from the position gets whatever is left.
                if case .failed(let error) = await pass(id, fromNow: false, follow: false) {
                    failures += 1
                    context.logger.debug("draining a stopped container failed; retrying", metadata: [
                        "plugin": "\(context.name)", "container": "\(DockerContainerID.short(id))", "error": "\(error)"])
                    await tracker.waitOrWake(for: options.retry.wait(beforeAttempt: failures, using: &generator))
                    continue
                }
                let (again, destroyed) = tracker.finishPass(id)
                if again { continue }
                if destroyed { forget(id, reason: "container removed") }
                return
            }
        }
        tracker.release(id)
    }

    /// Reads the container's log from where it was left: following it until the container stops,
    /// or (`follow` false) only what is there now.
    private func pass(_ id: String, fromNow: Bool, follow: Bool = true) async -> PassEnd {
        do {
            guard let container = try await containerMetadata(id) else { return .excluded }
            let resume = positions.resume(for: id)
            var since: Int64?
            if let oldest = resume.values.map(\.timestamp).min() {
                since = max(0, oldest)
            } else if fromNow {
                since = WallClock.nowNanoseconds()
            }
            if let path = try jsonLogPath(of: container) {
                return try await readJSONFileLog(container, path: path, resume: resume, since: since, follow: follow)
            }
            let response = try await client.logs(id, follow: follow, since: since)
            var decoder = DockerLogDecoder(framing: container.tty ? .tty : .multiplexed,
                                           maxLineBytes: context.maxMessageSize, resumeAfter: resume)
            var delivery = ContainerLogDelivery(metadata: container, context: context, positions: positions,
                                                resume: resume, options: options)
            do {
                var pacing = ChunkPacing()
                for try await chunk in response {
                    try decoder.consume(chunk)
                    for error in decoder.takeSystemErrors() {
                        context.logger.warning("dockerd reported an error in a log stream", metadata: [
                            "plugin": "\(context.name)", "container": "\(DockerContainerID.short(id))", "error": "\(error)"])
                    }
                    await delivery.add(decoder.takeLines())
                    await delivery.flush()
                    await pacing.pause(after: chunk.count)
                }
            } catch let error as DockerLogFormatError {
                // The lines before the damage are good: deliver them, then ask again from there.
                await delivery.add(decoder.takeLines())
                await delivery.flush()
                throw DockerAPIError(.invalidResponse, request: "GET logs of \(DockerContainerID.short(id))", message: "\(error)")
            } catch {
                throw DockerAPIError.from(error, request: "GET logs of \(DockerContainerID.short(id))")
            }
            try decoder.finish()
            await delivery.add(decoder.takeLines())
            await delivery.finish()
            return .ended
        } catch let error as DockerAPIError where error.kind == .notFound {
            return .gone
        } catch {
            return .failed(error)
        }
    }

    /// One inspect per container lifetime; nil when `include`/`exclude` leave it out.
    private func containerMetadata(_ id: String) async throws -> ContainerMetadata? {
        if let cached = metadata.lookup(id) { return cached }
        let details = try await client.inspect(id)
        let found = options.selection.metadata(for: details, type: "DockerLog", hostname: context.hostname)
        metadata.store(id, found)
        return found
    }
}
