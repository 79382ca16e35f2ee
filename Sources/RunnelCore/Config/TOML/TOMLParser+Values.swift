/// Values: dispatch on the first character, arrays and inline tables.
extension TOMLParser {
    /// Cursor on the first character of a value. `depth` bounds nesting so hostile input cannot
    /// exhaust the stack.
    mutating func parseValue(depth: Int) throws(TOMLSyntaxError) -> ConfigValue {
        let start = index
        guard depth <= TOMLSyntax.maxNesting else {
            throw error("values nested more than \(TOMLSyntax.maxNesting) levels deep", at: start)
        }
        guard let byte = peek() else { throw unexpected("a value") }
        let content: ConfigValue.Content
        switch byte {
        case UInt8(ascii: "\""):
            content = .string(startsWith("\"\"\"")
                ? try parseMultilineString(delimiter: byte, escapes: true)
                : try parseBasicString())
        case UInt8(ascii: "'"):
            content = .string(startsWith("'''")
                ? try parseMultilineString(delimiter: byte, escapes: false)
                : try parseLiteralString())
        case UInt8(ascii: "t") where startsWith("true"):
            index += 4
            content = .bool(true)
        case UInt8(ascii: "f") where startsWith("false"):
            index += 5
            content = .bool(false)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth)
        case UInt8(ascii: "{"):
            return try parseInlineTable(depth: depth)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if looksLikeDate(at: index) {
                content = .dateTime(try parseDateTime())
            } else if looksLikeTime(at: index) {
                content = .dateTime(TOMLDateTime(date: nil, time: try parseTime()))
            } else {
                content = try parseNumber()
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"):
            content = try parseNumber()
        default:
            throw unexpected("a value (a string, number, boolean, date-time, array or inline table)")
        }
        return ConfigValue(content, location: location(start),
                           secretVariable: locator.secretVariable(overlapping: start..<index))
    }

    /// `[ v, v, … ]`; line breaks and comments may appear between elements; a trailing comma
    /// is allowed. Elements may be of different types (TOML 1.0).
    private mutating func parseArray(depth: Int) throws(TOMLSyntaxError) -> ConfigValue {
        let start = index
        index += 1
        var elements: [ConfigValue] = []
        while true {
            try skipBlankSpace()
            if peek() == UInt8(ascii: "]") { break }
            elements.append(try parseValue(depth: depth + 1))
            try skipBlankSpace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard peek() == UInt8(ascii: "]") else {
                if peek() == nil {
                    throw error("unterminated array (opened at line \(location(start).line), column \(location(start).column))", at: index)
                }
                throw unexpected("',' or ']' in the array")
            }
            break
        }
        index += 1
        return ConfigValue(.array(elements), location: location(start))
    }

    /// `{ k = v, … }` on one line, no trailing comma (TOML 1.0). Inline tables are complete:
    /// nothing may add keys to them later.
    private mutating func parseInlineTable(depth: Int) throws(TOMLSyntaxError) -> ConfigValue {
        let start = index
        index += 1
        let table = TOMLTableNode(origin: .root, location: location(start), depth: depth)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return ConfigValue(.table(ConfigTable()), location: location(start))
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "\n") || peek() == UInt8(ascii: "\r") {
                throw error("an inline table must stay on one line (TOML 1.0)", at: index)
            }
            try parseKeyValue(into: table, depth: depth)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                let comma = index
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") {
                    throw error("a trailing comma is not allowed in an inline table (TOML 1.0)", at: comma)
                }
                continue
            }
            if peek() == UInt8(ascii: "}") { break }
            if peek() == UInt8(ascii: "\n") || peek() == UInt8(ascii: "\r") || peek() == nil {
                throw error("unterminated inline table (opened at line \(location(start).line), column \(location(start).column)); an inline table must stay on one line", at: index)
            }
            throw unexpected("',' or '}' in the inline table")
        }
        index += 1
        return ConfigValue(.table(table.configTable()), location: location(start))
    }
}
