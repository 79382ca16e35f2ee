import Testing
@testable import RunnelCore

/// Bounded, seeded fuzzing: hostile bytes must never crash the decoder or the stream reader, and
/// whatever decodes must survive a re-encode.
@Suite struct CodecFuzzTests {
    static let cases = 20_000

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SeededGenerator(seed: 0xC0DEC)
        var decoded = 0
        for _ in 0..<Self.cases {
            let bytes = generator.bytes(Int.random(in: 0...64, using: &generator))
            do {
                let message = try MessageProtobuf.decode(bytes)
                decoded += 1
                let encoded = MessageProtobuf.encode(message)
                #expect(MessageProtobuf.encode(try MessageProtobuf.decode(encoded)) == encoded)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        // Random input mostly fails; some short inputs are valid messages.
        #expect(decoded > 0 && decoded < Self.cases)
    }

    @Test func mutatedMessagesNeverCrashTheDecoder() {
        var generator = SeededGenerator(seed: 0xF1E1D)
        let original = MessageProtobuf.encode(SampleMessages.everything)
        var failures = 0
        for _ in 0..<Self.cases {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: .min ... .max, using: &generator)
                case 1: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
                default: bytes.removeSubrange(position...)
                }
                if bytes.isEmpty { break }
            }
            do {
                let message = try MessageProtobuf.decode(bytes)
                let encoded = MessageProtobuf.encode(message)
                // Bytes, not messages, are compared: a mutated double may be a NaN (NaN != NaN).
                let reencoded = MessageProtobuf.encode(try MessageProtobuf.decode(encoded))
                #expect(reencoded == encoded, "\(hexString(bytes))")
            } catch {
                failures += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        #expect(failures > 0)
    }

    @Test func randomStreamsNeverCrashTheReader() {
        var generator = SeededGenerator(seed: 0x57EA)
        let frame = HekaFraming.frame(SampleMessages.dockerLog)
        for _ in 0..<Self.cases / 10 {
            var stream = generator.bytes(Int.random(in: 0...200, using: &generator))
            // Record separators and real frame fragments make the reader work harder than noise.
            for position in stream.indices where Int.random(in: 0..<8, using: &generator) == 0 {
                stream[position] = 0x1e
            }
            if Bool.random(using: &generator) {
                let cut = Int.random(in: 0...frame.count, using: &generator)
                stream.insert(contentsOf: frame[..<cut], at: Int.random(in: 0...stream.count, using: &generator))
            }
            let chunk = Int.random(in: 1...64, using: &generator)
            let (frames, corruptions) = readStream(stream, chunkSizes: [chunk], reader: HekaStreamReader(maxMessageSize: 256))
            // Every byte is accounted for exactly once: in a frame or in a report.
            let accounted = frames.reduce(0) { $0 + $1.frameLength } + corruptions.reduce(0) { $0 + $1.skippedBytes }
            #expect(accounted == stream.count)
            for frame in frames {
                _ = try? frame.decodeMessage()
            }
        }
    }
}
