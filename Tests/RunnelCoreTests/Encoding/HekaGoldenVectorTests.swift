import Foundation
import Testing
@testable import RunnelCore

/// Byte vectors from Heka's own Go tests (client/encoders_test.go, pipeline/splitters_test.go,
/// sandbox/lua/lua_sandbox_test.go via the shared conformance notes).
@Suite struct HekaGoldenVectorTests {
    static let testMessage = Message(timestamp: 1_416_840_893_000_000_000, type: "TEST")
    static let testMessageBytes = hexBytes("10 80 c4 8c 94 91 a9 e8 d4 13 1a 04 54 45 53 54")

    /// The message of Heka's HekaFramingSplitter test (uuid, timestamp, type, severity,
    /// env_version, pid, hostname), framed unsigned.
    static let splitterFrame = hexBytes(
        """
        1e 02 08 3e 1f 0a 10 90 1d 56 27 ec 49 4c 8f ba 8e 84 9b aa f7 a6 f6 10 a6 97 8a 8f b6 c1 ae 8e 13
        1a 09 68 65 6b 61 62 65 6e 63 68 28 06 3a 03 30 2e 38 40 bf e5 01 4a 0a 74 72 69 6e 6b 2d 78 32 33 30
        """)

    @Test func unsignedFrameMatchesHekaEncoder() {
        let framed = HekaFraming.frame(Self.testMessage)
        #expect(hexString(framed) == "1e 02 08 10 1f 10 80 c4 8c 94 91 a9 e8 d4 13 1a 04 54 45 53 54")
        #expect(MessageProtobuf.encode(Self.testMessage) == Self.testMessageBytes)
        #expect(MessageProtobuf.encodedSize(Self.testMessage) == 16)
    }

    @Test func md5SignedFrameMatchesHekaEncoder() {
        let signer = MessageSigner(name: "test", key: [], version: 0, hash: .md5)
        let framed = HekaFraming.frame(Self.testMessage, signer: signer)
        let expectedHeader =
            "1e 1c 08 10 22 04 74 65 73 74 28 00 32 10 78 35 7e 36 35 38 3f 9f bc 75 98 46 1b 05 ef 2d 1f"
        #expect(hexString(framed) == expectedHeader + " " + hexString(Self.testMessageBytes))
    }

    /// Heka's encoder writes hmac_hash_function only for SHA1 (field 3, before the signer); the
    /// digest here was computed independently (Python's hmac module).
    @Test func sha1SignedFrameFollowsHekaHeaderLayout() {
        let signer = MessageSigner(name: "test", key: Array("testkey".utf8), version: 1, hash: .sha1)
        let framed = HekaFraming.frame(Self.testMessage, signer: signer)
        let expected =
            "1e 22 08 10 18 01 22 04 74 65 73 74 28 01 32 14 "
            + "5d dc f2 47 76 c4 74 a2 74 ae 7d e0 b4 f5 3c 99 11 14 68 e6 1f "
            + hexString(Self.testMessageBytes)
        #expect(hexString(framed) == expected)
    }

    @Test func appendFrameAroundEncodedBytesEqualsFrame() {
        let signer = MessageSigner(name: "test", key: Array("testkey".utf8), version: 1, hash: .md5)
        var buffer: [UInt8] = [0xAA]
        HekaFraming.appendFrame(messageBytes: Self.testMessageBytes[...], signer: signer, to: &buffer)
        #expect(buffer == [0xAA] + HekaFraming.frame(Self.testMessage, signer: signer))
        // Heka's splitter test signs with key "testkey" through Go's hmac; same digest here.
        #expect(hexString(buffer.suffix(16 + 17).prefix(16)) == "d6 11 f9 6f cf b0 ff 31 11 1e 2b 2b 4a d3 b2 0f")
    }

    @Test func splitterTestMessageDecodesAndReencodesIdentically() throws {
        let frames = readStream(Self.splitterFrame).frames
        let frame = try #require(frames.first)
        #expect(frame.header == HekaFrameHeader(messageLength: 62))
        let message = try frame.decodeMessage()
        #expect(message.uuid?.string == "901d5627-ec49-4c8f-ba8e-849baaf7a6f6")
        #expect(message.timestamp == 1_377_180_144_118_172_582)
        #expect(message.type == "hekabench")
        #expect(message.severity == 6)
        #expect(message.envVersion == "0.8")
        #expect(message.pid == 29375)
        #expect(message.hostname == "trink-x230")
        #expect(message.logger == nil && message.payload == nil && message.fields.isEmpty)
        #expect(HekaFraming.frame(message) == Self.splitterFrame)
    }

    /// Heka's "splits records" case: two frames, BOGUS, a frame, BOGUS, a truncated frame.
    @Test func splitterStreamWithBogusBytes() {
        let bogus = Array("BOGUS".utf8)
        let stream = Self.splitterFrame + Self.splitterFrame + bogus + Self.splitterFrame + bogus + [0x1e, 0x02, 0x08]
        for chunkSizes in [[stream.count], [1], [3, 7, 64]] {
            let (frames, corruptions) = readStream(stream, chunkSizes: chunkSizes)
            #expect(frames.map(\.offset) == [0, 67, 139])
            #expect(frames.allSatisfy { $0.messageBytes == Array(Self.splitterFrame[5...]) })
            #expect(
                corruptions.map { [$0.offset, Int64($0.skippedBytes)] } == [[134, 5], [206, 5 + 3]],
                "chunks \(chunkSizes)")
            #expect(corruptions.map(\.kind) == [.garbage, .garbage])
        }
    }

    /// Heka's "invalid header (no unit separator)" case: the bad header is skipped, the frame read.
    @Test func headerWithoutUnitSeparatorIsSkipped() {
        let stream = [0x1e, 0x02, 0x08, 0x3e, 0xff] + Self.splitterFrame
        let (frames, corruptions) = readStream(stream, chunkSizes: [2])
        #expect(frames.map(\.offset) == [5])
        #expect(corruptions == [
            HekaStreamCorruption(
                offset: 0, skippedBytes: 5, reason: "header of 2 bytes is not followed by 0x1F", kind: .invalidHeader)
        ])
    }

    /// Section D of the conformance notes: Lua's encoder, single doubles and bools unpacked.
    @Test func luaSandboxMessageDecodes() throws {
        let directory = try #require(encodingSharedDirectory(), "shared/heka-conformance not found")
        let notes = try String(
            contentsOf: directory.appendingPathComponent("heka-conformance/matcher_cases.md"), encoding: .utf8)
        let marker = try #require(notes.range(of: "Expected protobuf bytes"))
        let afterMarker = notes[marker.upperBound...]
        let open = try #require(afterMarker.firstIndex(of: "`"))
        let close = try #require(afterMarker[afterMarker.index(after: open)...].firstIndex(of: "`"))
        let bytes = hexBytes(String(afterMarker[afterMarker.index(after: open)..<close]))
        #expect(bytes.count > 100)

        let message = try MessageProtobuf.decode(bytes)
        #expect(message.timestamp == 1_000_000_000)
        #expect(message.type == nil && message.logger == nil && message.payload == nil)
        #expect(message.fields.map(\.name) == ["number", "numbers", "bools", "bool", "string", "strings"])
        #expect(message.field(named: "number") == Field(name: "number", values: .double([1])))
        #expect(message.field(named: "numbers") == Field(name: "numbers", representation: "count", values: .double([1, 2, 3])))
        #expect(message.field(named: "bools") == Field(name: "bools", values: .bool([true, false, false])))
        #expect(message.field(named: "bool") == Field(name: "bool", values: .bool([true])))
        #expect(message.field(named: "string") == Field(name: "string", values: .string(["string"])))
        #expect(message.field(named: "strings") == Field(name: "strings", values: .string(["s1", "s2", "s3"])))
    }
}
