import Testing
@testable import RunnelCore

@Suite struct MessageJSONRoundTripTests {
    @Test func randomMessagesRoundTripExactly() throws {
        var messages = RandomMessages(seed: 0x4A53_4F4E)
        var arrayForms = 0
        var base64Forms = 0
        for index in 0..<5_000 {
            let message = messages.message()
            let json = MessageJSON.encode(message)
            let text = String(decoding: json, as: UTF8.self)
            if text.contains("\"Fields\":[") { arrayForms += 1 }
            if text.contains("{\"base64\":") { base64Forms += 1 }
            // Valid JSON (the strict reader accepts it) with no duplicate keys anywhere.
            #expect(throws: Never.self, "message \(index)") {
                try JSONReader.parse(json, options: .init(rejectDuplicateKeys: true))
            }
            let decoded = try MessageJSON.decode(json)
            #expect(MessageBits(decoded) == MessageBits(message), "message \(index): \(text)")
            #expect(MessageJSON.encode(decoded) == json, "message \(index) re-encodes identically")
        }
        // The generator really reaches the rare forms.
        #expect(arrayForms > 500)
        #expect(base64Forms > 500)
    }

    @Test func aBigPayloadRoundTrips() throws {
        var payload = [UInt8](repeating: UInt8(ascii: "a"), count: 5_000_000)
        payload[4_999_999] = 0x0A
        let message = Message(payload: ByteString(payload))
        let decoded = try MessageJSON.decode(MessageJSON.encode(message))
        #expect(decoded == message)
    }

    @Test func manyFieldsWithRepeatsStayInOrder() throws {
        // Past the threshold where repeat detection switches to hashing.
        var message = Message()
        for index in 0..<200 { message.addField(.integer(ByteString("f\(index % 150)"), Int64(index))) }
        let json = MessageJSON.encode(message)
        #expect(json.starts(with: Array(#"{"Timestamp":0,"Fields":["#.utf8)))
        #expect(try MessageJSON.decode(json) == message)
        var unique = Message()
        for index in 0..<200 { unique.addField(.integer(ByteString("f\(index)"), Int64(index))) }
        let uniqueJSON = MessageJSON.encode(unique)
        #expect(uniqueJSON.starts(with: Array(#"{"Timestamp":0,"Fields":{"#.utf8)))
        #expect(try MessageJSON.decode(uniqueJSON) == unique)
    }

    @Test func everyTruncationAndByteSwapIsRejectedCleanly() {
        var messages = RandomMessages(seed: 0x7_5EED)
        var checked = 0
        for round in 0..<60 {
            let json = MessageJSON.encode(messages.message())
            for length in 0..<json.count {
                if Self.decodingError(Array(json[..<length])) == nil { Issue.record("prefix \(length) of \(json) decoded") }
                checked += 1
            }
            // Structural bytes swapped in at every position: decoding may fail, never crash.
            for position in json.indices where round < 15 {
                for replacement in Array(#"{}[]:,"\0-e"#.utf8) {
                    var mutated = json
                    mutated[position] = replacement
                    if let error = Self.decodingError(mutated) { #expect(error.offset <= mutated.count) }
                }
            }
        }
        #expect(checked > 5_000)
    }

    private static func decodingError(_ bytes: [UInt8]) -> MessageJSONError? {
        do {
            _ = try MessageJSON.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SeededGenerator(seed: 0xBAD_B17E5)
        var messages = RandomMessages(seed: 7)
        var rejected = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                // Mutations of valid documents reach deep into the shape before failing.
                bytes = MessageJSON.encode(messages.message())
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: index)
                    default: bytes.removeSubrange(index...)
                    }
                }
            } else {
                bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            do {
                _ = try MessageJSON.decode(bytes)
            } catch {
                rejected += 1
                #expect((0...bytes.count).contains(error.offset), "offset inside the input")
            }
        }
        #expect(rejected > 10_000)
    }
}
