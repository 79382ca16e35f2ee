/// A TOML 1.0 parser over UTF-8 bytes. It stops at the first syntax error, reporting its line
/// and column; the document-level rules (tables, dotted keys, duplicates) live in
/// TOMLParser+Tables.swift, the value grammars in the other TOMLParser+ files.
struct TOMLParser {
    let bytes: [UInt8]
    let locator: SourceLocator
    var index = 0
    let root: TOMLTableNode
    var current: TOMLTableNode

    init(bytes: [UInt8], locator: SourceLocator) {
        self.bytes = bytes
        self.locator = locator
        root = TOMLTableNode(origin: .root, location: locator.location(ofParsedOffset: 0), depth: 0)
        current = root
    }

    mutating func parseDocument() throws(TOMLSyntaxError) -> ConfigTable {
        if let bad = TOMLSyntax.firstInvalidUTF8Offset(bytes) {
            let hex = String(bytes[bad], radix: 16, uppercase: true)
            throw error("invalid UTF-8 (byte 0x\(hex)); a TOML file must be UTF-8 text", at: bad, quoting: bad..<(bad + 1))
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try expectEndOfLine(after: "")
            case UInt8(ascii: "["):
                if peek(1) == UInt8(ascii: "[") {
                    try parseArrayTableHeader()
                } else {
                    try parseTableHeader()
                }
            default:
                try parseKeyValue(into: current, depth: current.depth)
                try expectEndOfLine(after: " after a value")
            }
        }
        return root.configTable()
    }

    // MARK: Cursor

    func peek(_ ahead: Int = 0) -> UInt8? {
        let position = index + ahead
        return position < bytes.count ? bytes[position] : nil
    }

    func startsWith(_ text: String, at position: Int? = nil) -> Bool {
        let start = position ?? index
        var offset = start
        for byte in text.utf8 {
            guard offset < bytes.count, bytes[offset] == byte else { return false }
            offset += 1
        }
        return true
    }

    mutating func skipWhitespace() {
        while let byte = peek(), TOMLSyntax.isWhitespace(byte) { index += 1 }
    }

    /// Skips a comment starting at `#`, leaving the cursor on the line break (or the end).
    mutating func skipComment() throws(TOMLSyntaxError) {
        index += 1
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { return }
            if TOMLSyntax.isForbiddenControl(byte) {
                throw error("\(characterDescription(at: index)) is not allowed in a comment", at: index, quoting: characterRange(at: index))
            }
            index += 1
        }
    }

    /// Consumes a line break (LF or CRLF) if the cursor is on one.
    mutating func consumeNewline() throws(TOMLSyntaxError) -> Bool {
        if peek() == UInt8(ascii: "\n") {
            index += 1
            return true
        }
        if peek() == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else {
                throw error("a carriage return must be followed by a line feed", at: index)
            }
            index += 2
            return true
        }
        return false
    }

    /// After a header or key/value pair only whitespace and a comment may remain on the line.
    mutating func expectEndOfLine(after what: String) throws(TOMLSyntaxError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        if peek() == nil { return }
        if try consumeNewline() { return }
        throw unexpected("a line break\(what)")
    }

    /// Skips whitespace, comments and line breaks (inside arrays).
    mutating func skipBlankSpace() throws(TOMLSyntaxError) {
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "#") { try skipComment() }
            if try !consumeNewline() { return }
        }
    }

    // MARK: Errors

    func error(_ message: String, at offset: Int, quoting range: Range<Int>? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(message: message, location: locator.location(ofParsedOffset: offset),
                        parsedOffset: offset, quotedRange: range)
    }

    /// "expected X, found Y" at the cursor.
    func unexpected(_ expected: String) -> TOMLSyntaxError {
        error("expected \(expected), found \(characterDescription(at: index))", at: index, quoting: characterRange(at: index))
    }

    func characterRange(at offset: Int) -> Range<Int> {
        guard offset < bytes.count else { return offset..<offset }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return offset..<end
    }

    /// "'x'", "a line break", "the end of the file", "control character U+0007".
    func characterDescription(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return "a line break" }
        if TOMLSyntax.isForbiddenControl(byte) {
            let hex = String(byte, radix: 16, uppercase: true)
            return "control character U+" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        let text = String(decoding: bytes[characterRange(at: offset)], as: UTF8.self)
        return "'\(text)'"
    }

    func location(_ offset: Int) -> FileLocation { locator.location(ofParsedOffset: offset) }
}
