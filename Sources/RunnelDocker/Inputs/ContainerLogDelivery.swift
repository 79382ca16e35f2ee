import RunnelCore

/// Turns one container's lines into `DockerLog` messages and delivers them in batches, each batch
/// carrying the checkpoint of every stream of the container (committed once outputs confirmed).
///
/// A stream that printed nothing for a while moves to `idleStreamLag` before the newest line of
/// the other stream: Docker writes both streams to one log in time order, so a resume from
/// there cannot miss its entries, and it does not have to re-read the whole log of a container
/// that never writes to stderr.
struct ContainerLogDelivery {
    let metadata: ContainerMetadata
    let context: InputContext
    let positions: DockerReadPositions
    let streams: [DockerLogStream]
    let maxBatchMessages: Int
    let maxBatchBytes: Int
    let idleStreamLag: Int64

    /// Positions per stream, in two fields rather than a dictionary: they change on every line.
    private var stdoutPosition: DockerLogPosition?
    private var stderrPosition: DockerLogPosition?
    private var newest: Int64?
    private var batch: [Message] = []
    private var batchBytes = 0
    private var ids = MessageIDGenerator()
    private let hostname: ByteString
    private var lastTimestamp: Int64?
    /// Set when a splitter other than Docker's own line framing is configured.
    private var splitters: [DockerLogStream: LineSplitting] = [:]

    private static let type: ByteString = "DockerLog"
    private static let stdoutLogger: ByteString = "stdout"
    private static let stderrLogger: ByteString = "stderr"

    init(metadata: ContainerMetadata, context: InputContext, positions: DockerReadPositions,
         resume: [DockerLogStream: DockerLogPosition], options: DockerLogInput.Options) {
        self.metadata = metadata
        self.context = context
        self.positions = positions
        streams = metadata.tty ? [.stdout] : [.stdout, .stderr]
        maxBatchMessages = options.maxBatchMessages
        maxBatchBytes = options.maxBatchBytes
        idleStreamLag = options.idleStreamLag.nanoseconds
        stdoutPosition = resume[.stdout]
        stderrPosition = resume[.stderr]
        newest = resume.values.map(\.timestamp).max()
        hostname = context.hostname
        for stream in streams {
            let splitter = context.makeSplitter(startOffset: 0)
            if !(splitter is DockerLineFraming) { splitters[stream] = LineSplitting(splitter: splitter) }
        }
    }

    mutating func add(_ lines: [DockerLogLine]) async {
        for line in lines {
            if !splitters.isEmpty, var splitting = splitters[line.stream] {
                splitters[line.stream] = nil
                splitting.append(line)
                while let (record, position, timestamp) = splitting.next() {
                    append(content: Array(record.content), truncated: record.truncated, stream: line.stream,
                           timestamp: timestamp, position: position)
                    if batch.count >= maxBatchMessages || batchBytes >= maxBatchBytes { await flush() }
                }
                context.noteDiscarded(splitting.splitter.takeDiscarded())
                splitters[line.stream] = splitting
            } else {
                append(content: line.content, truncated: line.truncated, stream: line.stream,
                       timestamp: line.timestamp, position: line.position)
                if batch.count >= maxBatchMessages || batchBytes >= maxBatchBytes { await flush() }
            }
        }
    }

    /// The container's stream ended: what a splitter still holds is its last record.
    mutating func finish() async {
        for stream in streams {
            guard var splitting = splitters[stream] else { continue }
            if let (record, position, timestamp) = splitting.finish() {
                append(content: Array(record.content), truncated: record.truncated, stream: stream,
                       timestamp: timestamp, position: position)
            }
            context.noteDiscarded(splitting.splitter.takeDiscarded())
            splitters[stream] = splitting
        }
        await flush()
    }

    private mutating func append(content: [UInt8], truncated: Bool, stream: DockerLogStream, timestamp: Int64?,
                                 position: DockerLogPosition?) {
        let stamp = timestamp ?? lastTimestamp ?? WallClock.nowNanoseconds()
        lastTimestamp = stamp
        var message = Message(uuid: ids.uuid(), timestamp: stamp, type: Self.type,
                              logger: stream == .stdout ? Self.stdoutLogger : Self.stderrLogger,
                              payload: ByteString(content), hostname: hostname)
        message.fields = metadata.fields
        if truncated { message.fields.append(.bool("truncated", true)) }
        batch.append(message)
        batchBytes += content.count + 200
        if let position {
            if stream == .stdout { stdoutPosition = position } else { stderrPosition = position }
            newest = max(newest ?? position.timestamp, position.timestamp)
        }
    }

    /// Hands the batch to the pipeline; the streams' checkpoints move when it settles.
    mutating func flush() async {
        guard !batch.isEmpty else { return }
        var snapshot: [DockerLogStream: DockerLogPosition] = [:]
        for stream in streams {
            var position = stream == .stdout ? stdoutPosition : stderrPosition
            if let newest {
                let floor = newest - idleStreamLag
                if position.map({ $0.timestamp < floor }) ?? true { position = DockerLogPosition(timestamp: floor, entries: 0) }
            }
            if let position { snapshot[stream] = position }
        }
        stdoutPosition = snapshot[.stdout] ?? stdoutPosition
        stderrPosition = snapshot[.stderr] ?? stderrPosition
        positions.update(metadata.id, snapshot)
        let checkpoints = context.checkpoints
        let tickets = snapshot.map { checkpoints.begin(stream: DockerReadPositions.key(metadata.id, $0.key), position: $0.value.checkpoint) }
        let messages = batch
        batch.removeAll(keepingCapacity: true)
        batchBytes = 0
        await context.deliver(messages) { _ in
            for ticket in tickets { checkpoints.settle(ticket) }
        }
    }
}

/// A configured splitter over one stream's lines (each given back its newline), remembering
/// which line each byte came from so a record's checkpoint is the last line it completes.
struct LineSplitting {
    var splitter: any Splitter
    private var offset: Int64 = 0
    private var pending: [(end: Int64, position: DockerLogPosition, timestamp: Int64?)] = []
    private var pendingStart = 0

    init(splitter: any Splitter) {
        self.splitter = splitter
    }

    mutating func append(_ line: DockerLogLine) {
        var bytes = line.content
        bytes.append(0x0A)
        offset += Int64(bytes.count)
        pending.append((offset, line.position, line.timestamp))
        splitter.append(bytes[...])
    }

    mutating func next() -> (SplitRecord, DockerLogPosition?, Int64?)? {
        guard let record = splitter.next() else { return nil }
        let (position, timestamp) = consume(upTo: record.endOffset)
        return (record, position, timestamp)
    }

    mutating func finish() -> (SplitRecord, DockerLogPosition?, Int64?)? {
        guard let record = splitter.finish() else { return nil }
        let (position, timestamp) = consume(upTo: record.endOffset)
        return (record, position, timestamp)
    }

    /// The position of the last line ending at or before `end`, and the first such line's time.
    private mutating func consume(upTo end: Int64) -> (DockerLogPosition?, Int64?) {
        var position: DockerLogPosition?
        var timestamp: Int64?
        while pendingStart < pending.count && pending[pendingStart].end <= end {
            position = pending[pendingStart].position
            timestamp = timestamp ?? pending[pendingStart].timestamp
            pendingStart += 1
        }
        if pendingStart > 1024 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return (position, timestamp)
    }
}
