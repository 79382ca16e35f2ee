import RunnelCore

/// Heka's `[X.signer.NAME_VERSION]` tables (each with `hmac_key`) as a verifier that accepts only
/// frames signed with one of those keys; nil when the section has no signer tables.
func signatureVerifier(_ config: PluginInstanceConfig, key: String = "signer") throws(PluginBuildError) -> HekaSignatureVerifier? {
    guard let signers = config.table(key), !signers.isEmpty else { return nil }
    var keys: [HekaSignatureVerifier.SignerID: [UInt8]] = [:]
    for entry in signers.entries {
        // Heka names each signer table NAME_VERSION.
        guard let underscore = entry.key.lastIndex(of: "_"),
              let version = UInt32(entry.key[entry.key.index(after: underscore)...]),
              let hmacKey = entry.value.tableValue?.string("hmac_key") else {
            throw PluginBuildError(key: "\(key).\(entry.key)", "expected a [\(key).NAME_VERSION] table with hmac_key")
        }
        keys[HekaSignatureVerifier.SignerID(name: String(entry.key[..<underscore]), version: version)] = Array(hmacKey.utf8)
    }
    return HekaSignatureVerifier(keys: keys, requireSignature: true)
}
