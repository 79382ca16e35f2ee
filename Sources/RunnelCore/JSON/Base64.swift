/// Standard base64 (RFC 4648 §4, `+` `/` and `=` padding), the form JSON carries raw bytes in.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for alphabet bytes, 0xFF for everything else.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    static func encodedCount(_ byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// Writes exactly `encodedCount(bytes.count)` bytes at `output`.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, to output: UnsafeMutablePointer<UInt8>) {
        alphabet.withUnsafeBufferPointer { alphabet in
            var index = 0
            var out = output
            func emit(_ group: UInt32, _ characters: Int) {
                out[0] = alphabet[Int(group >> 18)]
                out[1] = alphabet[Int(group >> 12 & 0x3F)]
                out[2] = characters > 2 ? alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                out[3] = characters > 3 ? alphabet[Int(group & 0x3F)] : UInt8(ascii: "=")
                out += 4
            }
            while index + 3 <= bytes.count {
                emit(UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]), 4)
                index += 3
            }
            switch bytes.count - index {
            case 2: emit(UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8, 3)
            case 1: emit(UInt32(bytes[index]) << 16, 2)
            default: break
            }
        }
    }

    static func encode(_ bytes: [UInt8], into output: inout [UInt8]) {
        let encoded = [UInt8](unsafeUninitializedCapacity: encodedCount(bytes.count)) { buffer, initialized in
            bytes.withUnsafeBufferPointer { source in
                if let base = buffer.baseAddress { encode(source, to: base) }
            }
            initialized = encodedCount(bytes.count)
        }
        output += encoded
    }

    struct DecodingError: Error, Equatable {
        /// Index of the offending character in the encoded text.
        let index: Int
        let reason: String
    }

    /// Decodes canonical base64 only: padded to a multiple of four, no whitespace, and the unused
    /// bits of the last group zero, so every byte string has exactly one accepted spelling.
    static func decode(_ text: [UInt8]) throws(DecodingError) -> [UInt8] {
        guard text.count % 4 == 0 else {
            throw DecodingError(index: text.count, reason: "base64 length \(text.count) is not a multiple of 4")
        }
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var group = 0
        while group < text.count {
            let isLast = group + 4 == text.count
            var sextets: UInt32 = 0
            var padding = 0
            for position in 0..<4 {
                let character = text[group + position]
                if character == UInt8(ascii: "="), isLast, position >= 2 {
                    padding += 1
                    sextets <<= 6
                    continue
                }
                let value = values[Int(character)]
                guard value != 0xFF, padding == 0 else {
                    let reason =
                        character == UInt8(ascii: "=") ? "'=' padding is only allowed at the end"
                        : value == 0xFF ? "\(describe(character)) is not a base64 character"
                        : "\(describe(character)) follows '=' padding"
                    throw DecodingError(index: group + position, reason: reason)
                }
                sextets = sextets << 6 | UInt32(value)
            }
            let unusedBits: UInt32 = padding == 2 ? 0xFFFF : padding == 1 ? 0xFF : 0
            guard sextets & unusedBits == 0 else {
                throw DecodingError(index: group + 3 - padding, reason: "base64 is not canonical (unused bits set)")
            }
            output.append(UInt8(truncatingIfNeeded: sextets >> 16))
            if padding < 2 { output.append(UInt8(truncatingIfNeeded: sextets >> 8)) }
            if padding < 1 { output.append(UInt8(truncatingIfNeeded: sextets)) }
            group += 4
        }
        return output
    }

    private static func describe(_ character: UInt8) -> String {
        (0x21...0x7E).contains(character)
            ? "'\(Character(Unicode.Scalar(character)))'"
            : "byte 0x\(String(character, radix: 16))"
    }
}
