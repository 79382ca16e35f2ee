import Foundation
@testable import RunnelCore

/// Bytes from a hex string with optional spaces ("1e 02 08").
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
    precondition(digits.count % 2 == 0, "odd number of hex digits in test data")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!
    }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined(separator: " ")
}

/// Reads a whole stream through a reader in chunks of the given sizes (cycled), collecting items.
func readStream(
    _ bytes: [UInt8], chunkSizes: [Int] = [4096], reader: HekaStreamReader = HekaStreamReader()
) -> (frames: [HekaFrame], corruptions: [HekaStreamCorruption]) {
    var reader = reader
    var frames: [HekaFrame] = []
    var corruptions: [HekaStreamCorruption] = []
    func drain() {
        while let item = reader.next() {
            switch item {
            case .frame(let frame): frames.append(frame)
            case .corruption(let corruption): corruptions.append(corruption)
            }
        }
    }
    var position = 0
    var chunk = 0
    while position < bytes.count {
        let size = max(1, chunkSizes[chunk % chunkSizes.count])
        let end = min(bytes.count, position + size)
        reader.append(bytes[position..<end])
        drain()
        position = end
        chunk += 1
    }
    drain()
    if let last = reader.finish() { corruptions.append(last) }
    return (frames, corruptions)
}

enum SampleMessages {
    static let uuid = MessageUUID(bytes: hexBytes("901d5627ec494c8fba8e849baaf7a6f6"))!

    /// A message using every header variable and every field type.
    static var everything: Message {
        Message(
            uuid: uuid, timestamp: 1_416_840_893_000_000_123, type: "TEST", logger: "GoSpec", severity: 6,
            payload: "Test Payload", envVersion: "0.8", pid: 4242, hostname: "trink-x230",
            fields: [
                .string("foo", "bar"),
                .integer("number", 64),
                .bytes("bytes", Array("data".utf8)),
                Field(name: "int", values: .integer([999, 1024, -1, .min, .max])),
                .double("double", 99.9, representation: "ms"),
                .bool("bool", true),
                .string("foo", "alternate"),
                Field(name: "Timestamp", representation: "date-time", values: .string(["Mon Jan 02 15:04:05 -0700 2006"])),
                Field(name: "bools", values: .bool([true, false, true])),
                Field(name: "doubles", values: .double([0, -0.0, 1.5, -2.25e300])),
                Field(name: "strings", values: .string(["s1", "", "s3"])),
            ])
    }

    /// A DockerLog-like message: Runnel's container keys, a log line, numeric fields.
    static var dockerLog: Message {
        Message(
            uuid: uuid, timestamp: 1_700_000_000_123_456_789, type: "DockerLog", logger: "stderr", severity: 3,
            payload: ByteString(#"10.0.3.7 - - [01/May/2024:12:00:00 +0000] "POST /checkout HTTP/1.1" 502 157"#),
            hostname: "agent-3",
            fields: [
                .string("ContainerID", "0a1b2c3d4e5f"),
                .string("ContainerName", "web-frontend.1"),
                .string("ContainerImage", "nginx:1.25-alpine"),
                .string("MARATHON_APP_ID", "/web/frontend"),
                Field(name: "upstream_ms", representation: "ms", values: .double([12.5, 340.25])),
                Field(name: "status", values: .integer([502])),
                Field(name: "retried", values: .bool([true])),
            ])
    }
}

/// The shared conformance data: `RUNNEL_SHARED_DIR`, else the nearest `shared/` beside the
/// repository or one of its parents (a worktree sits deeper than the main checkout).
func encodingSharedDirectory() -> URL? {
    if let override = ProcessInfo.processInfo.environment["RUNNEL_SHARED_DIR"] {
        return URL(fileURLWithPath: override)
    }
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while directory.path != "/" {
        let candidate = directory.appendingPathComponent("shared")
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("heka-conformance").path) {
            return candidate
        }
        directory.deleteLastPathComponent()
    }
    return nil
}
