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

    init(templates: [InterpolatedTemplate]) {
        parts = templates
    }

    public func id(for message: Message) -> [UInt8] {
        var input: [UInt8] = []
        return withID(for: message, input: &input) { Array($0) }
    }

    /// Calls `body` with the id's text, built on the stack (encoders write one per document);
    /// `input` is where the hashed bytes are gathered (its contents are replaced).
    func withID<Result>(for message: Message, input: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        input.removeAll(keepingCapacity: true)
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
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(SHA_DIGEST_LENGTH) + Self.textLength) { scratch in
            let digest = UnsafeMutableBufferPointer(rebasing: scratch[..<Int(SHA_DIGEST_LENGTH)])
            input.withUnsafeBufferPointer { source in runnel_sha1(source.baseAddress, source.count, digest.baseAddress) }
            let text = UnsafeMutableBufferPointer(rebasing: scratch[Int(SHA_DIGEST_LENGTH)...])
            let count = Self.base64URL(UnsafeBufferPointer(digest), into: text)
            return body(UnsafeBufferPointer(rebasing: text[..<count]))
        }
    }

    /// Unpadded base64 of a SHA-1 digest.
    private static let textLength = 27

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Writes unpadded base64url of `bytes` into `out` (room for `(count * 4 + 2) / 3`); returns its length.
    static func base64URL(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        alphabet.withUnsafeBufferPointer { alphabet in
            var written = 0
            var index = 0
            while index < bytes.count {
                let remaining = bytes.count - index
                let b0 = UInt32(bytes[index])
                let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
                let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
                let group = b0 << 16 | b1 << 8 | b2
                out[written] = alphabet[Int(group >> 18 & 63)]
                out[written + 1] = alphabet[Int(group >> 12 & 63)]
                written += 2
                if remaining > 1 { out[written] = alphabet[Int(group >> 6 & 63)]; written += 1 }
                if remaining > 2 { out[written] = alphabet[Int(group & 63)]; written += 1 }
                index += 3
            }
            return written
        }
    }
}
