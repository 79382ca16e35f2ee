import Logging
import RunnelCore
import Testing

/// `OutputContext.encode(_:into:)` gives the same bytes and the same refusals whether the encoder
/// reads messages in place (`InPlaceEncoder`) or takes each one by value.
@Suite struct OutputContextEncodingTests {
    /// Writes the payload and a newline; refuses payloads that say "refuse".
    struct LineEncoder: Encoder {
        func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
            try Self.append(message.payload, into: &buffer)
        }

        static func append(_ payload: ByteString?, into buffer: inout [UInt8]) throws(EncodeFailure) {
            let bytes = payload?.bytes ?? []
            buffer += bytes
            // Written before refusing, so the context must take the partial output back.
            if bytes == Array("refuse".utf8) { throw EncodeFailure("refused") }
            buffer.append(0x0A)
        }
    }

    struct InPlaceLineEncoder: InPlaceEncoder {
        func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
            try LineEncoder.append(message.payload, into: &buffer)
        }

        func encode(_ messages: UnsafeBufferPointer<Message>, at index: Int, into buffer: inout [UInt8]) throws(EncodeFailure) {
            try LineEncoder.append(messages[index].payload, into: &buffer)
        }
    }

    static func encode(with encoder: any Encoder, payloads: [String]) async -> (bytes: String, failed: [Int], reason: String?) {
        let queue = BatchQueue(capacityBytes: 1 << 20)
        let context = OutputContext(name: "out", counters: PluginCounters(name: "out"), logger: Logger(label: "test"),
                                    encoder: encoder, useFraming: false, queue: queue)
        let messages = payloads.map { Message(timestamp: 0, payload: ByteString($0)) }
        _ = await queue.push(RoutedBatch(messages: messages, origins: Array(messages.indices), acknowledgement: nil,
                                         byteSize: messages.count * 100))
        guard let batch = await context.next() else { return ("", [], "no batch") }
        var buffer = Array("head|".utf8)
        let (failed, reason) = context.encode(batch, into: &buffer)
        batch.settle(droppedPositions: failed, reason: reason ?? "")
        return (String(decoding: buffer, as: UTF8.self), failed, reason)
    }

    @Test func inPlaceEncodersWriteAndRefuseAsEncodersByValueDo() async {
        let payloads = ["a", "refuse", "b", "refuse", "c"]
        let byValue = await Self.encode(with: LineEncoder(), payloads: payloads)
        let inPlace = await Self.encode(with: InPlaceLineEncoder(), payloads: payloads)
        #expect(inPlace.bytes == "head|a\nb\nc\n")
        #expect(inPlace.failed == [1, 3] && inPlace.reason == "encode_failed")
        #expect(inPlace.bytes == byValue.bytes && inPlace.failed == byValue.failed)
    }
}
