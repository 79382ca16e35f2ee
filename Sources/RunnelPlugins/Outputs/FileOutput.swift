import RunnelCore

#if canImport(Glibc)
import Glibc
#endif

/// Appends encoded messages to files (Heka's FileOutput). The path may interpolate message values
/// (`/var/log/runnel/%{Fields[MARATHON_APP_ID]}/%{%Y.%m.%d}.log`); a value substituted into a path
/// has `/` and NUL replaced by `_`, so a message can never choose a folder outside the template.
///
/// Batches are written with one `write(2)` per file once the flush condition holds (`flush_count`
/// messages and/or `flush_interval`, combined by `flush_operator`), and confirmed after the write:
/// the data is then in the kernel and survives the agent being killed.
public struct FileOutput: OutputPlugin {
    public enum FlushOperator: String, Sendable, CaseIterable { case and = "AND", or = "OR" }

    public struct Options: Sendable {
        public var path: InterpolatedTemplate
        public var permissions: mode_t = 0o644
        public var folderPermissions: mode_t = 0o700
        public var flushInterval: Duration = .milliseconds(1000)
        public var flushCount: Int = 1
        public var flushOperator: FlushOperator = .and
        /// Hours; with time codes in the path, they are rendered from the start of the current
        /// rotation period (wall clock) instead of each message's time. 0 = off.
        public var rotationIntervalHours: Int = 0
        /// Files kept open at once; the least recently written is closed beyond this.
        public var maxOpenFiles: Int = 64
        /// Encoded bytes held for the flush condition before writing regardless, so a large
        /// `flush_count` cannot make the output hold more memory than its queue would.
        public var maxPendingBytes: Int = 4 << 20

        public init(path: InterpolatedTemplate) {
            self.path = path
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run(_ context: OutputContext) async throws {
        var files = OpenFiles(options: options)
        defer { files.closeAll() }
        var pending = PendingWrites()
        var lastFlush = ContinuousClock.now
        while true {
            let waitLimit = options.flushInterval - (ContinuousClock.now - lastFlush)
            let next: OutputBatch?
            if pending.isEmpty {
                next = await context.next()
                if next == nil { return }
            } else {
                next = await context.next(timeout: max(waitLimit, .milliseconds(1)))
            }
            if let next {
                if options.path.isConstant {
                    pending.encode(next, path: options.path.template, context: context)
                } else {
                    // Rendered per message, so that each lands in its own file.
                    encodePerPath(next, context: context, pending: &pending)
                }
            }
            let intervalDue = ContinuousClock.now - lastFlush >= options.flushInterval
            let countDue = pending.messageCount >= options.flushCount
            let due = options.flushOperator == .and ? (countDue && intervalDue) || context.isFinished
                                                    : countDue || intervalDue
            // With AND and flush_count 1 (Heka's defaults) a batch is written as it comes.
            let immediate = options.flushOperator == .and && options.flushCount <= 1
            let tooBig = pending.byteCount >= options.maxPendingBytes
            if !pending.isEmpty && (due || immediate || tooBig || (next == nil && intervalDue)) {
                try pending.flush(into: &files)
                lastFlush = ContinuousClock.now
            }
            if next == nil && context.isFinished {
                try pending.flush(into: &files)
                return
            }
        }
    }

    private func encodePerPath(_ batch: OutputBatch, context: OutputContext, pending: inout PendingWrites) {
        var byPath: [String: [UInt8]] = [:]
        var order: [String] = []
        var failed: [Int] = []
        let rotationStart = rotationPeriodStart()
        for (position, message) in batch.messages.enumerated() {
            var pathBytes: [UInt8] = []
            var forPath = message
            if let rotationStart { forPath.timestamp = rotationStart }
            options.path.render(forPath, into: &pathBytes, transform: Self.pathSafe)
            let path = String(decoding: pathBytes, as: UTF8.self)
            var bytes: [UInt8] = []
            if context.encodeOne(message, into: &bytes) {
                if byPath[path] == nil { order.append(path) }
                byPath[path, default: []] += bytes
            } else {
                failed.append(position)
            }
        }
        pending.add(batch, chunks: order.map { ($0, byPath[$0]!) }, failed: failed)
    }

    /// The wall-clock start of the current rotation period, when rotation is on.
    private func rotationPeriodStart() -> Int64? {
        guard options.rotationIntervalHours > 0 else { return nil }
        let period = Int64(options.rotationIntervalHours) * 3600 * 1_000_000_000
        let now = WallClock.nowNanoseconds()
        return now - now % period
    }

    static func pathSafe(_ value: [UInt8]) -> [UInt8] {
        value.map { $0 == UInt8(ascii: "/") || $0 == 0 ? UInt8(ascii: "_") : $0 }
    }
}

/// Encoded bytes waiting for the flush condition, per file, and the batches they settle.
private struct PendingWrites {
    var chunks: [(path: String, bytes: [UInt8])] = []
    var batches: [(batch: OutputBatch, failed: [Int], reason: String?)] = []
    var messageCount = 0
    var byteCount = 0
    /// The last flushed buffer, emptied: the next batches are encoded into its capacity.
    private var spare: [UInt8] = []

    var isEmpty: Bool { batches.isEmpty }

    /// Encodes straight into the pending bytes of `path` when they are the last chunk (a constant
    /// path: always), so the batches waiting for one flush are never copied again.
    mutating func encode(_ batch: OutputBatch, path: String, context: OutputContext) {
        if chunks.last?.path != path {
            chunks.append((path, spare))
            spare = []
        }
        let before = chunks[chunks.count - 1].bytes.count
        let (failed, reason) = context.encode(batch, into: &chunks[chunks.count - 1].bytes)
        batches.append((batch, failed, reason))
        messageCount += batch.messages.count
        byteCount += chunks[chunks.count - 1].bytes.count - before
    }

    mutating func add(_ batch: OutputBatch, chunks newChunks: [(String, [UInt8])], failed: [Int]) {
        chunks += newChunks.map { (path: $0.0, bytes: $0.1) }
        batches.append((batch, failed, failed.isEmpty ? nil : "encode_failed"))
        messageCount += batch.messages.count
        byteCount += newChunks.reduce(0) { $0 + $1.1.count }
    }

    /// Writes everything (one write per file) and settles the batches.
    mutating func flush(into files: inout OpenFiles) throws {
        guard !batches.isEmpty else { return }
        if chunks.count == 1 {
            try files.write(chunks[0].bytes, to: chunks[0].path)
            spare = chunks[0].bytes
            chunks.removeAll()
            spare.removeAll(keepingCapacity: true)
        } else {
            var merged: [String: [UInt8]] = [:]
            var order: [String] = []
            for chunk in chunks {
                if merged[chunk.path] == nil { order.append(chunk.path) }
                merged[chunk.path, default: []] += chunk.bytes
            }
            for path in order {
                try files.write(merged[path]!, to: path)
            }
        }
        for entry in batches {
            if entry.failed.isEmpty {
                entry.batch.confirm()
            } else {
                entry.batch.settle(droppedPositions: entry.failed, reason: entry.reason ?? "encode_failed")
            }
        }
        chunks.removeAll()
        batches.removeAll()
        messageCount = 0
        byteCount = 0
    }
}

/// Open append-mode descriptors by path, creating folders as needed, closing the least recently
/// used beyond the limit.
private struct OpenFiles {
    let options: FileOutput.Options
    var descriptors: [String: (fd: Int32, lastUse: UInt64)] = [:]
    var clock: UInt64 = 0

    init(options: FileOutput.Options) {
        self.options = options
    }

    mutating func write(_ bytes: [UInt8], to path: String) throws {
        clock += 1
        let fd: Int32
        if let open = descriptors[path] {
            fd = open.fd
        } else {
            fd = try openFile(path)
            if descriptors.count >= options.maxOpenFiles, let oldest = descriptors.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                close(oldest.value.fd)
                descriptors[oldest.key] = nil
            }
        }
        descriptors[path] = (fd, clock)
        try FileDescriptorWriter.writeAll(bytes, to: fd, path: path)
    }

    private func openFile(_ path: String) throws -> Int32 {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !folder.isEmpty {
            var current = path.hasPrefix("/") ? "" : "."
            for component in folder.split(separator: "/") {
                current += "/" + component
                if mkdir(current, options.folderPermissions) != 0 && errno != EEXIST {
                    throw SystemCallError("mkdir", path: current)
                }
            }
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, options.permissions)
        guard fd >= 0 else { throw SystemCallError("open", path: path) }
        return fd
    }

    mutating func closeAll() {
        for entry in descriptors.values {
            fsync(entry.fd)
            close(entry.fd)
        }
        descriptors.removeAll()
    }
}
