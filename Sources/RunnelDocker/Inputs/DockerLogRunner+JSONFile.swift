import RunnelCore
#if canImport(Glibc)
import Glibc
#endif

/// The `json-file` fast path: a container's log read from its files on the daemon's host instead
/// of through dockerd, with the same lines, fields and checkpoints. dockerd is then used only for
/// discovery, metadata and events, and spends no CPU on the log itself.
extension DockerLogRunner {
    /// Where the container's json-file log can be read, or nil to use the API.
    func jsonLogPath(of container: ContainerMetadata) throws -> String? {
        guard options.logSource != .api else { return nil }
        let path = options.jsonFileRoot.map { "\($0)/\(container.id)/\(container.id)-json.log" } ?? container.jsonLogPath
        if let path, access(path, R_OK) == 0 { return path }
        if options.logSource == .auto { return nil }
        throw JSONFileLogUnavailable(container: container.id, path: path)
    }

    /// Reads the files from the resume point, then follows the live file until the container
    /// stops (its `die` event, or a periodic inspect when events were missed) and the file has
    /// stopped growing; `follow` false reads only what is there.
    func readJSONFileLog(_ container: ContainerMetadata, path: String, resume: [DockerLogStream: DockerLogPosition],
                         since: Int64?, follow: Bool) async throws -> PassEnd {
        var skip = resume
        if skip.isEmpty, let since {
            // Reading "from now": entries before this instant are skipped like delivered ones.
            skip = [.stdout: DockerLogPosition(timestamp: since, entries: 0), .stderr: DockerLogPosition(timestamp: since, entries: 0)]
        }
        var reader = JSONFileLogReading(
            decoder: JSONFileLogDecoder(tty: container.tty, maxLineBytes: context.maxMessageSize, resumeAfter: skip),
            delivery: ContainerLogDelivery(metadata: container, context: context, positions: positions, resume: resume, options: options),
            context: context, container: container.id)
        let plan = JSONFileLogFiles.plan(livePath: path, since: since)
        for (index, filePath) in plan.files.enumerated() {
            let live = index == plan.files.count - 1
            guard let file = TailedFile(path: filePath, startOffset: index == 0 ? plan.startOffset : 0) else {
                guard live else { continue }  // a rotated file was removed meanwhile
                _ = try await client.inspect(container.id)  // a removed container ends the pass as gone
                throw JSONFileLogUnavailable(container: container.id, path: filePath)
            }
            reader.decoder.startFile(at: file.offset)
            if live {
                try await followLiveFile(file, path: path, reader: &reader, follow: follow, id: container.id)
            } else {
                await reader.readAvailable(file)
            }
        }
        reader.decoder.finish()
        await reader.deliverLines(from: path)
        await reader.delivery.finish()
        return .ended
    }

    private func followLiveFile(_ first: TailedFile, path: String, reader: inout JSONFileLogReading,
                                follow: Bool, id: String) async throws {
        var file = first
        var changes = FileChanges(watcher: fileWatcher, path: path)
        defer { changes.end() }
        if follow, let poke = changes.poke { tracker.setWake(id, poke) }
        defer { if follow { tracker.setWake(id, nil) } }
        var lastInspect = ContinuousClock.now
        var stopping = false
        while !Task.isCancelled {
            if await reader.readAvailable(file) > 0 {
                changes.noteActivity()
                continue
            }
            if file.pathMoved {
                // Rotated: the old file is complete once read to its end; the new one starts empty.
                await reader.readAvailable(file)
                guard let next = TailedFile(path: path, startOffset: 0) else { return }
                file = next
                changes.rewatch()
                if follow, let poke = changes.poke { tracker.setWake(id, poke) }
                reader.decoder.startFile(at: 0)
                continue
            }
            if file.wasTruncated {
                context.logger.warning("a container's json-file log was truncated in place; reading it again from the start", metadata: [
                    "plugin": "\(context.name)", "container": "\(DockerContainerID.short(id))", "path": "\(path)"])
                file.rewind()
                reader.decoder.startFile(at: 0)
                continue
            }
            if !follow || stopping { return }
            if tracker.hasDied(id) {
                // Docker's copier may still be writing the last lines: read once more after a pause.
                stopping = true
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            if ContinuousClock.now - lastInspect > Self.inspectInterval {
                lastInspect = ContinuousClock.now
                if let details = try? await client.inspect(id), !details.running && details.status != "restarting" {
                    stopping = true
                    continue
                }
            }
            await changes.waitForChange()
        }
    }

    /// A die event missed during a dockerd outage is noticed by this check of a quiet container.
    static var inspectInterval: Duration { .seconds(30) }
}

/// How a follower waits for its file to grow: woken by inotify (or a poke when the container
/// stops), with a long timeout as a safety net; without inotify, polling soon after the file was
/// busy and less and less often when it is quiet.
struct FileChanges {
    let watcher: FileChangeWatcher?
    let path: String
    private var watch: Int32?
    private var pollWait = Self.shortestPoll

    static let shortestPoll: Duration = .milliseconds(10)
    static let longestPoll: Duration = .milliseconds(250)
    static let safetyTimeout: Duration = .seconds(5)

    init(watcher: FileChangeWatcher?, path: String) {
        self.watcher = watcher
        self.path = path
        watch = watcher?.watch(path)
    }

    /// Wakes the waiting follower (nil when polling: it looks again soon anyway).
    var poke: (@Sendable () -> Void)? {
        guard let watcher, let watch else { return nil }
        return { watcher.poke(watch) }
    }

    mutating func noteActivity() { pollWait = Self.shortestPoll }

    mutating func waitForChange() async {
        if let watcher, let watch {
            await watcher.wait(watch, timeout: Self.safetyTimeout)
        } else {
            try? await Task.sleep(for: pollWait)
            pollWait = min(pollWait * 2, Self.longestPoll)
        }
    }

    /// The path names a new file now (rotation).
    mutating func rewatch() {
        end()
        watch = watcher?.watch(path)
    }

    mutating func end() {
        if let watcher, let watch { watcher.unwatch(watch) }
        watch = nil
    }
}

/// One pass over a container's json-file log: the decoder, the delivery, and a read buffer.
struct JSONFileLogReading {
    var decoder: JSONFileLogDecoder
    var delivery: ContainerLogDelivery
    let context: InputContext
    let container: String
    /// 64 KiB: big enough for a busy file, small enough for a hundred quiet ones.
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(decoder: JSONFileLogDecoder, delivery: ContainerLogDelivery, context: InputContext, container: String) {
        self.decoder = decoder
        self.delivery = delivery
        self.context = context
        self.container = container
    }

    /// Reads the file to its current end, delivering lines as they complete; the bytes read.
    @discardableResult
    mutating func readAvailable(_ file: TailedFile) async -> Int {
        var total = 0
        while !Task.isCancelled {
            let bytes = file.read(into: &chunk)
            if bytes.isEmpty { break }
            total += bytes.count
            bytes.withUnsafeBytes { decoder.consume($0) }
            await deliverLines(from: file.path)
        }
        return total
    }

    mutating func deliverLines(from path: String) async {
        for error in decoder.takeErrors() {
            context.logger.warning("skipped an unreadable record of a container's json-file log", metadata: [
                "plugin": "\(context.name)", "container": "\(DockerContainerID.short(container))", "path": "\(path)",
                "error": "\(error)"])
        }
        await delivery.add(decoder.takeLines())
        await delivery.flush()
    }
}

/// `log_source = "json-file"` and the container's log file cannot be read.
struct JSONFileLogUnavailable: Error, CustomStringConvertible {
    let container: String
    let path: String?

    var description: String {
        guard let path else {
            return "container \(DockerContainerID.short(container)) has no json-file log (another log driver); set log_source = \"auto\" to read it through the API"
        }
        return "cannot read \(path), the json-file log of container \(DockerContainerID.short(container)) (is the daemon's data root mounted and readable? see json_file_root)"
    }
}
