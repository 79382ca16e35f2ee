/// A strict RFC 8259 cursor over contiguous bytes: the tokens of one JSON text, pulled one at a
/// time by a reader that knows what it expects (the generic `JSONReader` or `MessageJSON`), so
/// every error names the exact byte and no intermediate tree is needed on hot paths.
///
/// It holds a pointer into the caller's bytes and lives only inside `JSONScanner.scan`.
struct JSONScanner {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0
    private(set) var depth = 0
    let maxDepth: Int

    private init(input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    /// Runs `body` with a scanner over `bytes`, without copying when they are contiguous.
    static func scan<Bytes: Collection<UInt8>, Result>(
        _ bytes: Bytes, maxDepth: Int, _ body: (inout JSONScanner) throws(JSONError) -> Result
    ) throws(JSONError) -> Result {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Swift.Result<Result, JSONError> {
            var scanner = JSONScanner(input: buffer, maxDepth: maxDepth)
            return Swift.Result { () throws(JSONError) -> Result in try body(&scanner) }
        }
        let outcome = bytes.withContiguousStorageIfAvailable(run) ?? Array(bytes).withUnsafeBufferPointer(run)
        return try outcome.get()
    }

    // MARK: Position and errors

    var isAtEnd: Bool { position >= input.count }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The next byte that is not whitespace (not consumed), or nil at the end of the input.
    @inline(__always)
    mutating func peekSignificant() -> UInt8? {
        if position < input.count, input[position] > 0x20 { return input[position] }  // usual: no whitespace
        skipWhitespace()
        return position < input.count ? input[position] : nil
    }

    func error(_ reason: String, at offset: Int) -> JSONError {
        JSONError(offset: offset, reason: reason)
    }

    /// "expected X, found Y" at the current position (after whitespace).
    mutating func unexpected(expected: String) -> JSONError {
        guard let byte = peekSignificant() else {
            return error("unexpected end of input, expected \(expected)", at: input.count)
        }
        return error("expected \(expected), found \(Self.describe(byte))", at: position)
    }

    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "byte 0x\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
        }
    }

    /// Requires the end of the input, allowing trailing whitespace.
    mutating func finish() throws(JSONError) {
        guard peekSignificant() == nil else {
            throw error("unexpected data after the JSON value: \(Self.describe(input[position]))", at: position)
        }
    }

    // MARK: Containers

    /// Consumes `{`. Members then come from `nextKey(first:)` until it returns nil.
    mutating func beginObject() throws(JSONError) {
        guard peekSignificant() == UInt8(ascii: "{") else { throw unexpected(expected: "'{'") }
        try enterContainer()
    }

    /// Consumes `[`. Elements then follow each `nextElement(first:)` that returns true.
    mutating func beginArray() throws(JSONError) {
        guard peekSignificant() == UInt8(ascii: "[") else { throw unexpected(expected: "'['") }
        try enterContainer()
    }

    private mutating func enterContainer() throws(JSONError) {
        guard depth < maxDepth else { throw error("nesting is deeper than \(maxDepth) levels", at: position) }
        depth += 1
        position += 1
    }

    /// The next member's key with its `:` consumed, or nil after consuming the closing `}`.
    /// `first` starts true for each object.
    mutating func nextKey(first: inout Bool) throws(JSONError) -> JSONStringToken? {
        guard try continueContainer(closing: UInt8(ascii: "}"), first: &first) else { return nil }
        guard peekSignificant() == UInt8(ascii: "\"") else { throw unexpected(expected: "'\"' starting a key") }
        let key = try readStringToken()
        guard peekSignificant() == UInt8(ascii: ":") else { throw unexpected(expected: "':' after an object key") }
        position += 1
        return key
    }

    /// True when another element follows (positioned at it), false after consuming the closing `]`.
    mutating func nextElement(first: inout Bool) throws(JSONError) -> Bool {
        try continueContainer(closing: UInt8(ascii: "]"), first: &first)
    }

    /// On true the scanner is at the next member's first byte (never at the end of the input).
    private mutating func continueContainer(closing: UInt8, first: inout Bool) throws(JSONError) -> Bool {
        let member = closing == UInt8(ascii: "}") ? "'\"' starting a key" : "a value"
        guard let byte = peekSignificant() else {
            throw unexpected(expected: "\(member) or \(Self.describe(closing))")
        }
        if byte == closing {
            position += 1
            depth -= 1
            return false
        }
        if first {
            first = false
            return true
        }
        guard byte == UInt8(ascii: ",") else { throw unexpected(expected: "',' or \(Self.describe(closing))") }
        position += 1
        guard let next = peekSignificant() else { throw unexpected(expected: member) }
        if next == closing { throw error("trailing comma before \(Self.describe(closing))", at: position) }
        return true
    }

    // MARK: Literals

    mutating func readBool() throws(JSONError) -> Bool {
        if try readKeyword("true") { return true }
        if try readKeyword("false") { return false }
        throw unexpected(expected: "true or false")
    }

    /// Consumes `null` if it is next.
    mutating func readNullIfPresent() throws(JSONError) -> Bool {
        try readKeyword("null")
    }

    /// Consumes `keyword` when the next byte starts it; an incomplete or misspelt keyword is an error.
    private mutating func readKeyword(_ keyword: StaticString) throws(JSONError) -> Bool {
        guard let byte = peekSignificant(), byte == keyword.utf8Start.pointee else { return false }
        let start = position
        for offset in 0..<keyword.utf8CodeUnitCount {
            guard start + offset < input.count, input[start + offset] == keyword.utf8Start[offset] else {
                throw error("invalid literal, expected '\(keyword)'", at: start)
            }
        }
        position = start + keyword.utf8CodeUnitCount
        return true
    }
}
