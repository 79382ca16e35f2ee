/// UTF-8 well-formedness by Unicode's table 3-7, shared by the JSON writer (which repairs) and the
/// JSON reader (which rejects).
enum UTF8Validation {
    /// Looks at the non-ASCII sequence starting at `index` (callers handle ASCII themselves).
    /// Returns its length when it is well formed, otherwise the negated length of its maximal
    /// invalid subpart, the unit Unicode recommends replacing with one U+FFFD (and the one Swift's
    /// `String(decoding:as:)` replaces), so repaired text matches `ByteString.string`.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F  // U+D800...U+DFFF are not scalar values
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F  // nothing above U+10FFFF
        default: return -1  // continuation byte, C0, C1, F5...FF: never valid as a lead
        }
        let end = bytes.count
        guard index + 1 < end, (secondLow...secondHigh).contains(bytes[index + 1]) else { return -1 }
        var consumed = 2
        while consumed < length {
            guard index + consumed < end, bytes[index + consumed] & 0xC0 == 0x80 else { return -consumed }
            consumed += 1
        }
        return length
    }
}

/// Eight bytes at a time: whether any of them needs attention inside a JSON string (a quote, a
/// backslash, a control character or a non-ASCII byte). Plain ASCII text, the bulk of log lines,
/// is then copied or skipped a word at a time.
enum JSONStringWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    static func isPlain(_ word: UInt64) -> Bool {
        let nonASCII = word & highBits
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        return nonASCII | control | quote | backslash == 0
    }

    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }

    /// The index of the first byte at or after `index` that is not plain ASCII string content
    /// (or `bytes.count`), checked a word at a time and then byte by byte.
    @inline(__always)
    static func endOfPlainRun(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        let count = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count, isPlain(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
            }
        }
        while index < count {
            let byte = bytes[index]
            if byte < 0x20 || byte >= 0x80 || byte == 0x22 || byte == 0x5C { break }
            index += 1
        }
        return index
    }
}
