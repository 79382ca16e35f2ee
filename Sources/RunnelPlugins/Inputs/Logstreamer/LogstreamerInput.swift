import Logging
import RunnelCore

/// Follows every file under `log_directory` whose relative path matches `file_match` (Heka's
/// LogstreamerInput, one stream per file).
///
/// - A file never seen before is read from its beginning (as Heka did), unless `initial_tail`.
/// - Appends are followed; a file renamed away (rotation) is read to its end before the new file at
///   the path is opened; a file truncated in place (copytruncate) is read again from offset 0.
/// - The checkpoint of each stream is `[offset, device, inode]`, committed only past lines whose
///   batches every output confirmed, so a restart re-reads at most the unconfirmed tail.
/// - After a restart a stream whose file was rotated while the agent was down is found by its
///   inode among the directory's files and finished first.
public struct LogstreamerInput: InputPlugin {
    public struct Options: Sendable {
        public var logDirectory: String
        /// Selects files by their path relative to `logDirectory`.
        public var fileMatch: @Sendable (String) -> Bool
        public var rescanInterval: Duration = .seconds(5)
        /// Files not modified for longer are not opened (Heka's `oldest_duration`).
        public var oldestDuration: Duration = .seconds(720 * 3600)
        /// Start new files at their end instead of their beginning.
        public var initialTail = false
        public var maxBatchMessages = 1024
        public var maxBatchBytes = 1 << 20
        public var readChunkBytes = 256 * 1024
        /// How long a rotated-away file must stay idle at its end before it is closed.
        public var rotationGrace: Duration = .seconds(1)
        /// Host name in the messages; the agent's when nil.
        public var hostname: String?
        /// The longest sleep between polls of files with no new data (Heka's `check_data_interval`).
        public var maxIdleWait: Duration = .milliseconds(250)

        public init(logDirectory: String, fileMatch: @escaping @Sendable (String) -> Bool) {
            self.logDirectory = logDirectory
            self.fileMatch = fileMatch
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run(_ context: InputContext) async throws {
        var follower = DirectoryFollower(options: options, context: context)
        try await follower.run()
    }
}

/// The state of one LogstreamerInput run.
private struct DirectoryFollower {
    let options: LogstreamerInput.Options
    let context: InputContext
    var streams: [String: FileStream] = [:]
    var lastScan: ContinuousClock.Instant?
    var chunk: [UInt8]
    var builder: RecordMessages

    init(options: LogstreamerInput.Options, context: InputContext) {
        self.options = options
        self.context = context
        self.chunk = [UInt8](repeating: 0, count: options.readChunkBytes)
        self.builder = RecordMessages(type: "logfile", logger: "",
                                      hostname: options.hostname.map { ByteString($0) } ?? context.hostname)
    }

    mutating func run() async throws {
        resumeFromCheckpoints()
        var idleSleep = Duration.milliseconds(10)
        while !Task.isCancelled {
            if lastScan.map({ ContinuousClock.now - $0 >= options.rescanInterval }) ?? true {
                scan()
                lastScan = .now
            }
            var progressed = false
            for key in streams.keys.sorted() {
                if try await pump(key) { progressed = true }
                if Task.isCancelled { return }
            }
            if progressed {
                idleSleep = .milliseconds(10)
            } else {
                try? await Task.sleep(for: idleSleep)
                idleSleep = min(idleSleep * 2, options.maxIdleWait)
            }
        }
    }

    /// Opens the streams recorded in the checkpoints where they left off.
    mutating func resumeFromCheckpoints() {
        let saved = context.checkpoints.saved
        guard !saved.isEmpty else { return }
        var filesByIdentity: [FileIdentity: String]?
        for (key, position) in saved.sorted(by: { $0.key < $1.key }) where position.count == 3 {
            let identity = FileIdentity(device: UInt64(bitPattern: position[1]), inode: UInt64(bitPattern: position[2]))
            let path = options.logDirectory + "/" + key
            if let info = statPath(path), FileIdentity(info) == identity {
                if let file = TailedFile(path: path, startOffset: position[0]) {
                    streams[key] = FileStream(key: key, file: file, context: context)
                }
                continue
            }
            // Rotated while we were away: finish the old file first if it is still here.
            if filesByIdentity == nil {
                filesByIdentity = [:]
                for relative in listRegularFiles(in: options.logDirectory) {
                    if let info = statPath(options.logDirectory + "/" + relative) {
                        filesByIdentity![FileIdentity(info)] = relative
                    }
                }
            }
            if let rotatedName = filesByIdentity?[identity],
               let old = TailedFile(path: options.logDirectory + "/" + rotatedName, startOffset: position[0]) {
                context.logger.info("resuming a file rotated while stopped", metadata: ["stream": "\(key)", "now": "\(rotatedName)"])
                var stream = FileStream(key: key, file: old, context: context)
                stream.rotatedAway = true
                streams[key] = stream
            } else {
                context.logger.warning("checkpointed file is gone; its unread tail (if any) was lost before this start",
                                       metadata: ["stream": "\(key)"])
            }
        }
    }

    /// Adds streams for new matching files.
    mutating func scan() {
        let now = WallClock.nowNanoseconds()
        for relative in listRegularFiles(in: options.logDirectory) where streams[relative] == nil && options.fileMatch(relative) {
            let path = options.logDirectory + "/" + relative
            guard let info = statPath(path) else { continue }
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            if now - modified > options.oldestDuration.nanoseconds { continue }
            let start = options.initialTail ? Int64(info.st_size) : 0
            guard let file = TailedFile(path: path, startOffset: start) else { continue }
            streams[relative] = FileStream(key: relative, file: file, context: context)
            context.logger.debug("following file", metadata: ["stream": "\(relative)"])
        }
    }

    /// Reads what is new in one stream and delivers it; true when anything was read.
    mutating func pump(_ key: String) async throws -> Bool {
        guard var stream = streams[key] else { return false }
        defer { streams[key] = stream.dropped ? nil : stream }
        var progressed = false
        var batch: [Message] = []
        var batchBytes = 0
        builder.logger = ByteString(key)
        while batch.count < options.maxBatchMessages && batchBytes < options.maxBatchBytes {
            if stream.file.wasTruncated {
                context.logger.warning("file truncated in place; reading it again from the start",
                                       metadata: ["stream": "\(key)", "offset": "\(stream.file.offset)"])
                await flush(&batch, &batchBytes, stream: &stream)
                stream.restart(at: 0, context: context)
            }
            let bytes = stream.file.read(into: &chunk)
            if bytes.isEmpty { break }
            progressed = true
            stream.lastRead = .now
            stream.splitter.append(bytes)
            let timestamp = WallClock.nowNanoseconds()
            while let record = stream.splitter.next() {
                batchBytes += record.bytes.count
                stream.lastRecordEnd = record.endOffset
                batch.append(builder.message(for: consume record, timestamp: timestamp))
                if batch.count >= options.maxBatchMessages || batchBytes >= options.maxBatchBytes {
                    await flush(&batch, &batchBytes, stream: &stream)
                }
            }
            context.noteDiscarded(stream.splitter.takeDiscarded())
        }
        await flush(&batch, &batchBytes, stream: &stream)

        // Rotation: the path names another file now; finish this one, then follow the new one.
        if !progressed, stream.rotatedAway || stream.file.pathMoved {
            stream.rotatedAway = true
            if ContinuousClock.now - stream.lastRead >= options.rotationGrace {
                if let tail = stream.splitter.finish() {
                    batch.append(builder.message(for: tail, timestamp: WallClock.nowNanoseconds()))
                    stream.lastRecordEnd = tail.endOffset
                    await flush(&batch, &batchBytes, stream: &stream)
                }
                let path = options.logDirectory + "/" + key
                if let next = TailedFile(path: path, startOffset: 0) {
                    context.logger.info("file rotated; following the new file", metadata: ["stream": "\(key)"])
                    stream = FileStream(key: key, file: next, context: context)
                    return true
                } else {
                    context.checkpoints.forget(stream: key)
                    stream.dropped = true
                }
            }
        }
        return progressed
    }

    private func flush(_ batch: inout [Message], _ bytes: inout Int, stream: inout FileStream) async {
        guard !batch.isEmpty else { return }
        let position: [Int64] = [stream.lastRecordEnd, Int64(bitPattern: stream.file.identity.device),
                                 Int64(bitPattern: stream.file.identity.inode)]
        let checkpoints = context.checkpoints
        let ticket = checkpoints.begin(stream: stream.key, position: position)
        await context.deliver(batch) { _ in checkpoints.settle(ticket) }
        batch.removeAll(keepingCapacity: true)
        bytes = 0
    }
}

/// One followed file and its splitter.
private struct FileStream {
    let key: String
    var file: TailedFile
    var splitter: any Splitter
    var lastRecordEnd: Int64
    var lastRead: ContinuousClock.Instant = .now
    var rotatedAway = false
    var dropped = false

    init(key: String, file: TailedFile, context: InputContext) {
        self.key = key
        self.file = file
        self.splitter = context.makeSplitter(startOffset: file.offset)
        self.lastRecordEnd = file.offset
    }

    mutating func restart(at offset: Int64, context: InputContext) {
        file.rewind()
        splitter = context.makeSplitter(startOffset: file.offset)
        lastRecordEnd = file.offset
    }
}
