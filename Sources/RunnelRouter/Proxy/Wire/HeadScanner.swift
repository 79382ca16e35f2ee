import RunnelCore

/// Byte-level pieces of HTTP/1.1 message heads (RFC 9112), shared by the request and response
/// parsers. Heads are read where they lie in the socket's buffer; nothing is copied or decoded
/// into strings unless someone asks for a value.
enum HeadScanner {
    static let cr: UInt8 = 13, lf: UInt8 = 10, space: UInt8 = 32, tab: UInt8 = 9

    /// The length of the head at the start of `bytes`, through its blank line, or nil when the
    /// blank line has not arrived yet. `from` skips bytes already searched.
    static func headLength(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        var index = max(from, 0)
        while let newline = bytes.indexOfByte(lf, from: index) {
            if newline >= 3 && bytes[newline - 1] == cr && bytes[newline - 2] == lf && bytes[newline - 3] == cr {
                return newline + 1
            }
            index = newline + 1
        }
        return nil
    }

    /// Calls `field(nameStart, nameEnd, valueStart, valueEnd, lineEnd)` for each header line from
    /// `start` up to the blank line (`lineEnd` is just past the line's CRLF; the value is trimmed).
    /// Obsolete line folding, control bytes in values and names that are not tokens are errors.
    @inline(__always)
    static func forEachField(_ bytes: UnsafeRawBufferPointer, from start: Int,
                             _ field: (Int, Int, Int, Int, Int) throws -> Void) throws {
        let count = bytes.count
        var index = start
        while true {
            guard index + 1 < count else { throw HeadError(offset: index, message: "head ends inside a header line") }
            if bytes[index] == cr {
                guard bytes[index + 1] == lf else { throw HeadError(offset: index + 1, message: "CR without LF") }
                return
            }
            let nameStart = index
            while index < count && isToken(bytes[index]) { index += 1 }
            guard index > nameStart, index < count, bytes[index] == UInt8(ascii: ":") else {
                throw HeadError(offset: index, message: "malformed header name")
            }
            let nameEnd = index
            index += 1
            while index < count && (bytes[index] == space || bytes[index] == tab) { index += 1 }
            let valueStart = index
            index = skipPlainValueBytes(bytes, from: index)
            while index < count && bytes[index] != cr {
                let byte = bytes[index]
                guard byte >= 0x20 && byte != 0x7F || byte == tab else {
                    throw HeadError(offset: index, message: "control byte in header value")
                }
                index += 1
            }
            guard index + 1 < count, bytes[index + 1] == lf else { throw HeadError(offset: index, message: "CR without LF") }
            var valueEnd = index
            while valueEnd > valueStart && (bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab) { valueEnd -= 1 }
            index += 2
            try field(nameStart, nameEnd, valueStart, valueEnd, index)
        }
    }

    /// The first index from `start` of an 8-byte word that may hold a byte other than visible
    /// ASCII, space or obs-text (a CR, tab, control or DEL), skipping plain words 8 bytes at a time;
    /// the byte loop after it judges the rest exactly. Header values are mostly plain text.
    @inline(__always)
    static func skipPlainValueBytes(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // A high bit marks a byte below 0x20 or equal to 0x7F (never misses one; may flag a
            // plain byte next to one, which only hands the word to the byte loop).
            let belowSpace = (word &- ones &* 0x20) & ~word & highs
            let delete = word ^ (ones &* 0x7F)
            if belowSpace | ((delete &- ones) & ~delete & highs) != 0 { break }
            index += 8
        }
        return index
    }

    /// Calls `item(start, end)` for each non-empty, trimmed element of a comma-separated list value.
    @inline(__always)
    static func forEachListItem(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ item: (Int, Int) -> Void) {
        var index = start
        while index < end {
            while index < end && (bytes[index] == space || bytes[index] == tab || bytes[index] == UInt8(ascii: ",")) { index += 1 }
            let itemStart = index
            while index < end && bytes[index] != UInt8(ascii: ",") { index += 1 }
            var itemEnd = index
            while itemEnd > itemStart && (bytes[itemEnd - 1] == space || bytes[itemEnd - 1] == tab) { itemEnd -= 1 }
            if itemEnd > itemStart { item(itemStart, itemEnd) }
        }
    }

    /// ASCII case-insensitive equality of `bytes[start..<end]` with a lowercase literal.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ lowercase: StaticString) -> Bool {
        guard end - start == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for offset in 0..<(end - start) where lowercased(bytes[start + offset]) != expected[offset] { return false }
        return true
    }

    /// ASCII case-insensitive equality of two ranges of `bytes`.
    static func equals(_ bytes: UnsafeRawBufferPointer, _ first: Range<Int>, _ second: Range<Int>) -> Bool {
        guard first.count == second.count else { return false }
        for offset in 0..<first.count where lowercased(bytes[first.lowerBound + offset]) != lowercased(bytes[second.lowerBound + offset]) {
            return false
        }
        return true
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }

    /// A decimal Content-Length: digits only, at most 18 of them.
    static func decimal(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        guard end > start, end - start <= 18 else { return nil }
        var value = 0
        for index in start..<end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Whether the last coding of a Transfer-Encoding value is `chunked`.
    static func endsWithChunked(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var last = false
        forEachListItem(bytes, start, end) { last = equals(bytes, $0, $1, "chunked") }
        return last
    }

    /// `tchar` of RFC 9110 §5.6.2.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }
}
