/// Checks the HMAC of signed frames against known signer keys, as Heka's framing splitter does
/// (its `[signer]` table keyed by `name_version`).
public struct HekaSignatureVerifier: Sendable {
    public struct SignerID: Sendable, Hashable {
        public var name: String
        public var version: UInt32

        public init(name: String, version: UInt32) {
            self.name = name
            self.version = version
        }
    }

    public var keys: [SignerID: [UInt8]]
    /// Heka accepts unsigned frames even when signers are configured; set this to reject them.
    public var requireSignature: Bool

    public init(keys: [SignerID: [UInt8]], requireSignature: Bool = false) {
        self.keys = keys
        self.requireSignature = requireSignature
    }

    public init(signers: [MessageSigner], requireSignature: Bool = false) {
        var keys: [SignerID: [UInt8]] = [:]
        for signer in signers { keys[SignerID(name: signer.name, version: signer.version)] = signer.key }
        self.init(keys: keys, requireSignature: requireSignature)
    }

    public func check(_ header: HekaFrameHeader, messageBytes: UnsafeRawBufferPointer) -> HekaSignatureCheck {
        guard let digest = header.hmac else { return .unsigned }
        let id = SignerID(name: header.hmacSigner ?? "", version: header.hmacKeyVersion ?? 0)
        guard let key = keys[id] else { return .unknownSigner(id) }
        let expected = HekaHMAC.digest(header.hmacHashFunction, key: key, message: messageBytes)
        return HekaHMAC.constantTimeEqual(digest, expected) ? .verified(id) : .badSignature(id)
    }

    public func check(_ header: HekaFrameHeader, messageBytes: [UInt8]) -> HekaSignatureCheck {
        messageBytes.withUnsafeBytes { check(header, messageBytes: $0) }
    }

    /// Whether a frame with this outcome is passed on.
    public func accepts(_ result: HekaSignatureCheck) -> Bool {
        switch result {
        case .verified: true
        case .unsigned: !requireSignature
        case .unknownSigner, .badSignature: false
        }
    }
}

public enum HekaSignatureCheck: Sendable, Equatable, CustomStringConvertible {
    case unsigned
    case verified(HekaSignatureVerifier.SignerID)
    case unknownSigner(HekaSignatureVerifier.SignerID)
    case badSignature(HekaSignatureVerifier.SignerID)

    public var description: String {
        switch self {
        case .unsigned: "unsigned frame"
        case .verified(let id): "signed by '\(id.name)' version \(id.version)"
        case .unknownSigner(let id): "signed by unknown signer '\(id.name)' version \(id.version)"
        case .badSignature(let id): "signature of '\(id.name)' version \(id.version) does not match"
        }
    }
}
