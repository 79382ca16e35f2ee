import RunnelCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads standard input (`… | runnel agent`), one record per line by default. At end of input
/// it finishes, which shuts the agent down after draining unless `can_exit` is set.
public struct StdinInput: InputPlugin {
    public var maxBatchMessages = 1024
    public var descriptor: Int32 = 0

    public init() {}

    public func run(_ context: InputContext) async throws {
        // Non-blocking, so a quiet pipe never holds one of the cooperative threads.
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(descriptor, F_SETFL, flags) }
        var splitter = context.makeSplitter(startOffset: 0)
        var builder = RecordMessages(type: "stdin", logger: "stdin", hostname: context.hostname)
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var idle = Duration.milliseconds(1)
        while !Task.isCancelled {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                guard errno == EAGAIN || errno == EINTR else { throw SystemCallError("read", path: "<stdin>") }
                try? await Task.sleep(for: idle)
                idle = min(idle * 2, .milliseconds(100))
                continue
            }
            idle = .milliseconds(1)
            if count == 0 {
                var batch: [Message] = []
                if let tail = splitter.finish() { batch.append(builder.message(for: tail, timestamp: WallClock.nowNanoseconds())) }
                context.noteDiscarded(splitter.takeDiscarded())
                if !batch.isEmpty { await context.deliver(batch) }
                return
            }
            splitter.append(chunk[0..<count])
            let now = WallClock.nowNanoseconds()
            var batch: [Message] = []
            while let record = splitter.next() {
                batch.append(builder.message(for: record, timestamp: now))
                if batch.count >= maxBatchMessages {
                    await context.deliver(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            context.noteDiscarded(splitter.takeDiscarded())
            if !batch.isEmpty { await context.deliver(batch) }
        }
    }

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "StdinInput", category: .input,
            summary: "Reads standard input, one record per line by default; finishing at end of input stops the agent after draining unless `can_exit`.",
            options: [])
    ) { _, _ throws(PluginBuildError) in .input(StdinInput()) }
}
