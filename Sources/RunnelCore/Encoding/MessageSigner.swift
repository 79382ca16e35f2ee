/// Heka's HMAC hash functions, with their `Header.hmac_hash_function` numbers.
public enum HmacHashFunction: Int32, Sendable, CaseIterable {
    case md5 = 0
    case sha1 = 1

    public var name: String {
        switch self {
        case .md5: "md5"
        case .sha1: "sha1"
        }
    }
}

/// Who signs framed messages (Heka's `message_signer` config: name, key, key version, hash).
public struct MessageSigner: Sendable, Equatable {
    public var name: String
    public var key: [UInt8]
    public var version: UInt32
    public var hash: HmacHashFunction

    public init(name: String, key: [UInt8], version: UInt32 = 0, hash: HmacHashFunction = .md5) {
        self.name = name
        self.key = key
        self.version = version
        self.hash = hash
    }

    /// Longest signer name whose frame header still fits Heka's 255-byte limit (with the largest
    /// message length, key version and a SHA1 digest). Framing cuts longer names to this length,
    /// so configuration should reject them (`validationError`).
    public static let maxNameLength = 216

    /// Why this signer cannot be used as configured, or nil.
    public var validationError: String? {
        let length = name.utf8.count
        guard length <= Self.maxNameLength else {
            return "signer name is \(length) bytes; a Heka frame header allows at most \(Self.maxNameLength)"
        }
        return nil
    }
}
