/// One part of a (possibly dotted) key, with the bytes it was read from.
struct TOMLKeyPart {
    var name: String
    var range: Range<Int>
}

/// Keys, `[table]` and `[[array of tables]]` headers, and TOML's rules on which tables may be
/// reopened or extended.
extension TOMLParser {
    mutating func parseKey() throws(TOMLSyntaxError) -> [TOMLKeyPart] {
        var parts: [TOMLKeyPart] = []
        while true {
            skipWhitespace()
            let start = index
            guard let byte = peek() else { throw unexpected("a key") }
            let name: String
            if byte == UInt8(ascii: "\"") {
                if startsWith("\"\"\"") { throw error("a key cannot be a multi-line string", at: start) }
                name = try parseBasicString()
            } else if byte == UInt8(ascii: "'") {
                if startsWith("'''") { throw error("a key cannot be a multi-line string", at: start) }
                name = try parseLiteralString()
            } else if TOMLSyntax.isBareKeyByte(byte) {
                while let next = peek(), TOMLSyntax.isBareKeyByte(next) { index += 1 }
                name = String(decoding: bytes[start..<index], as: UTF8.self)
            } else {
                throw unexpected("a key")
            }
            if let variable = locator.secretVariable(overlapping: start..<index) {
                throw error("a key or table name cannot come from %ENV[\(variable)]; only values may be substituted", at: start)
            }
            parts.append(TOMLKeyPart(name: name, range: start..<index))
            if parts.count > TOMLSyntax.maxNesting {
                throw error("a key with more than \(TOMLSyntax.maxNesting) dotted parts", at: start)
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    mutating func parseTableHeader() throws(TOMLSyntaxError) {
        let start = index
        index += 1
        let path = try parseKey()
        guard peek() == UInt8(ascii: "]") else { throw headerError(headerStart: start, closing: "]") }
        index += 1
        current = try defineTable(path, headerStart: start)
        try expectEndOfLine(after: " after the table header")
    }

    mutating func parseArrayTableHeader() throws(TOMLSyntaxError) {
        let start = index
        index += 2
        let path = try parseKey()
        guard peek() == UInt8(ascii: "]"), peek(1) == UInt8(ascii: "]") else {
            throw headerError(headerStart: start, closing: "]]")
        }
        index += 2
        current = try appendArrayTable(path, headerStart: start)
        try expectEndOfLine(after: " after the table header")
    }

    /// Parses `key = value` and stores it in `table`.
    mutating func parseKeyValue(into table: TOMLTableNode, depth: Int) throws(TOMLSyntaxError) {
        let path = try parseKey()
        guard peek() == UInt8(ascii: "=") else { throw unexpected("'=' after the key \(Self.dotted(path))") }
        index += 1
        skipWhitespace()
        var node = table
        for (position, part) in path.dropLast().enumerated() {
            let soFar = Self.dotted(path[...position])
            if let existing = node[part.name] {
                switch existing.child {
                case .table(let child) where child.origin == .dottedKeys:
                    node = child
                case .table(let child):
                    throw error("dotted keys cannot add to table '\(soFar)': it was opened by a table header at line \(child.location.line)",
                                at: part.range.lowerBound)
                case .tableArray(let array):
                    throw error("dotted keys cannot add to '\(soFar)': it is an array of tables (line \(array.location.line))",
                                at: part.range.lowerBound)
                case .value:
                    throw error("'\(soFar)' already holds \(existing.child.kindDescription) (line \(existing.keyLocation.line)); it cannot be extended",
                                at: part.range.lowerBound)
                }
            } else {
                let child = try makeTable(.dottedKeys, at: part.range.lowerBound, under: node)
                node.insert(.table(child), for: part.name, keyLocation: location(part.range.lowerBound))
                node = child
            }
        }
        guard let last = path.last else { throw unexpected("a key") }
        if let existing = node[last.name] {
            let first = existing.keyLocation
            throw error("duplicate key '\(Self.dotted(path))' (first defined at line \(first.line), column \(first.column))",
                        at: last.range.lowerBound)
        }
        let value = try parseValue(depth: max(depth, node.depth) + 1)
        node.insert(.value(value), for: last.name, keyLocation: location(last.range.lowerBound))
    }

    private mutating func defineTable(_ path: [TOMLKeyPart], headerStart: Int) throws(TOMLSyntaxError) -> TOMLTableNode {
        let parent = try parentForHeader(path)
        guard let last = path.last else { throw unexpected("a table name") }
        let name = Self.dotted(path)
        if let existing = parent[last.name] {
            switch existing.child {
            case .table(let table) where table.origin == .implicitlyCreated:
                table.origin = .header
                table.location = location(headerStart)
                return table
            case .table(let table) where table.origin == .dottedKeys:
                throw error("table [\(name)] was already created by dotted keys at line \(table.location.line)", at: headerStart)
            case .table(let table):
                throw error("table [\(name)] is defined twice (first at line \(table.location.line))", at: headerStart)
            case .tableArray(let array):
                throw error("[\(name)] is already an array of tables (line \(array.location.line))", at: headerStart)
            case .value:
                throw error("key '\(name)' already holds \(existing.child.kindDescription) (line \(existing.keyLocation.line)); it cannot also be a table",
                            at: headerStart)
            }
        }
        let table = try makeTable(.header, at: headerStart, under: parent)
        parent.insert(.table(table), for: last.name, keyLocation: location(last.range.lowerBound))
        return table
    }

    private mutating func appendArrayTable(_ path: [TOMLKeyPart], headerStart: Int) throws(TOMLSyntaxError) -> TOMLTableNode {
        let parent = try parentForHeader(path)
        guard let last = path.last else { throw unexpected("a table name") }
        let element = try makeTable(.arrayElement, at: headerStart, under: parent)
        if let existing = parent[last.name] {
            guard case .tableArray(let array) = existing.child else {
                throw error("cannot append to [[\(Self.dotted(path))]]: it already holds \(existing.child.kindDescription) (line \(existing.keyLocation.line))",
                            at: headerStart)
            }
            array.append(element)
        } else {
            let array = TOMLTableArrayNode(location: location(headerStart))
            array.append(element)
            parent.insert(.tableArray(array), for: last.name, keyLocation: location(last.range.lowerBound))
        }
        return element
    }

    /// Walks a header's path except its last part, creating missing tables implicitly and
    /// entering the last element of arrays of tables.
    private mutating func parentForHeader(_ path: [TOMLKeyPart]) throws(TOMLSyntaxError) -> TOMLTableNode {
        var node = root
        for (position, part) in path.dropLast().enumerated() {
            guard let existing = node[part.name] else {
                let child = try makeTable(.implicitlyCreated, at: part.range.lowerBound, under: node)
                node.insert(.table(child), for: part.name, keyLocation: location(part.range.lowerBound))
                node = child
                continue
            }
            switch existing.child {
            case .table(let child):
                node = child
            case .tableArray(let array):
                guard let last = array.elements.last else { throw unexpected("a table name") }
                node = last
            case .value:
                throw error("'\(Self.dotted(path[...position]))' already holds \(existing.child.kindDescription) (line \(existing.keyLocation.line)); it cannot be extended by a table header",
                            at: part.range.lowerBound)
            }
        }
        return node
    }

    func makeTable(_ origin: TOMLTableNode.Origin, at offset: Int, under parent: TOMLTableNode) throws(TOMLSyntaxError) -> TOMLTableNode {
        guard parent.depth < TOMLSyntax.maxNesting else {
            throw error("tables nested more than \(TOMLSyntax.maxNesting) levels deep", at: offset)
        }
        return TOMLTableNode(origin: origin, location: location(offset), depth: parent.depth + 1)
    }

    /// A header that is not closed; names such as Heka's `[tcp:5565]` get a quoting hint.
    private func headerError(headerStart: Int, closing: String) -> TOMLSyntaxError {
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "]"), bytes[end] != UInt8(ascii: "\n") { end += 1 }
        let open = closing.count
        if end < bytes.count, bytes[end] == UInt8(ascii: "]"), index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            let raw = Self.trimmed(String(decoding: bytes[(headerStart + open)..<end], as: UTF8.self))
            if !raw.isEmpty, !raw.contains("\""), !raw.contains("'") {
                let opening = String(repeating: "[", count: open), closingText = String(repeating: "]", count: open)
                return error("expected '\(closing)' to close the table header, found \(characterDescription(at: index)); a name with characters other than A-Z a-z 0-9 _ - must be quoted: \(opening)\"\(raw)\"\(closingText)",
                             at: index, quoting: headerStart..<end)
            }
        }
        return unexpected("'\(closing)' to close the table header")
    }

    private static func trimmed(_ text: String) -> String {
        var rest = Substring(text)
        while let first = rest.first, first == " " || first == "\t" { rest.removeFirst() }
        while let last = rest.last, last == " " || last == "\t" { rest.removeLast() }
        return String(rest)
    }

    static func dotted<Parts: Collection>(_ parts: Parts) -> String where Parts.Element == TOMLKeyPart {
        parts.map { ConfigTable.quotedKey($0.name) }.joined(separator: ".")
    }
}

