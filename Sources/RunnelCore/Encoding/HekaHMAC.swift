import CLibCrypto

/// HMAC digests through OpenSSL's libcrypto.
enum HekaHMAC {
    static func digest(_ hash: HmacHashFunction, key: [UInt8], message: UnsafeRawBufferPointer) -> [UInt8] {
        let algorithm = hash == .sha1 ? EVP_sha1() : EVP_md5()
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outputLength: UInt32 = 0
        // OpenSSL wants a non-null key and data pointer even when the length is 0 (an empty key
        // is legal: Heka's golden vector signs with one).
        var placeholder: UInt8 = 0
        let succeeded = withUnsafeMutablePointer(to: &placeholder) { placeholderPointer in
            key.withUnsafeBytes { keyBytes in
                output.withUnsafeMutableBufferPointer { out in
                    let data = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
                        ?? UnsafePointer(placeholderPointer)
                    return HMAC(
                        algorithm, keyBytes.baseAddress ?? UnsafeRawPointer(placeholderPointer), Int32(key.count),
                        data, message.count, out.baseAddress, &outputLength) != nil
                }
            }
        }
        // HMAC fails only on allocation failure inside OpenSSL; an empty digest then never matches.
        guard succeeded else { return [] }
        output.removeSubrange(Int(outputLength)...)
        return output
    }

    /// Compares digests in time independent of where they differ.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
