import CLibCrypto
import RunnelCore

/// A document id computed from message values (by default the container, stream, timestamp and
/// line), so that a message sent again after a retry or a restart gets the same `_id` and a
/// `create` of it is answered 409 instead of storing a second copy.
///
/// The id is the SHA-1 of the rendered parts, each prefixed with its length (so `ab`+`c` and
/// `a`+`bc` differ), as 27 characters of unpadded base64url.
public struct DeterministicDocumentID: Sendable {
    public static let defaultParts = ["Hostname", "Fields[ContainerID]", "Logger", "Timestamp", "Payload"]

    public let parts: [InterpolatedTemplate]

    public init(parts: [String]) throws(InterpolatedTemplate.SyntaxError) {
        var templates: [InterpolatedTemplate] = []
        for part in parts {
            templates.append(try InterpolatedTemplate(part.contains("%{") ? part : "%{\(part)}"))
        }
        self.parts = templates
    }

    public func id(for message: Message) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(160 + (message.payload?.count ?? 0))
        for part in parts {
            let start = input.count
            for _ in 0..<4 { input.append(0) }
            part.render(message, into: &input)
            let length = UInt32(truncatingIfNeeded: input.count - start - 4)
            input[start] = UInt8(truncatingIfNeeded: length >> 24)
            input[start + 1] = UInt8(truncatingIfNeeded: length >> 16)
            input[start + 2] = UInt8(truncatingIfNeeded: length >> 8)
            input[start + 3] = UInt8(truncatingIfNeeded: length)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(SHA_DIGEST_LENGTH)) { digest in
            input.withUnsafeBufferPointer { source in _ = SHA1(source.baseAddress, source.count, digest.baseAddress) }
            return Self.base64URL(UnsafeBufferPointer(digest))
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(group >> 18 & 63)])
            out.append(alphabet[Int(group >> 12 & 63)])
            if remaining > 1 { out.append(alphabet[Int(group >> 6 & 63)]) }
            if remaining > 2 { out.append(alphabet[Int(group & 63)]) }
            index += 3
        }
        return out
    }
}
