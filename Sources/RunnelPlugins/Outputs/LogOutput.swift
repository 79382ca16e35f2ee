import RunnelCore

/// Writes each encoded message to standard output (Heka's LogOutput), one write per batch.
public struct LogOutput: OutputPlugin {
    public init() {}

    public func run(_ context: OutputContext) async throws {
        var buffer: [UInt8] = []
        while let batch = await context.next() {
            buffer.removeAll(keepingCapacity: true)
            var failed: [Int] = []
            var reason: String?
            if context.encoder == nil && !context.useFraming {
                for message in batch.messages {
                    if let payload = message.payload { buffer += payload.bytes }
                    buffer.append(0x0A)
                }
            } else {
                (failed, reason) = context.encode(batch, into: &buffer)
            }
            try FileDescriptorWriter.writeAll(buffer, to: 1, path: "<stdout>")
            if failed.isEmpty { batch.confirm() } else { batch.settle(droppedPositions: failed, reason: reason ?? "encode_failed") }
        }
    }
}
