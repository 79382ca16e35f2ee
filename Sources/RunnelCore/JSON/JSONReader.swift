/// Parses a JSON text (RFC 8259, strictly) into a `JSONValue`.
///
/// Rejected, each with the byte offset: anything but one value surrounded by whitespace, invalid
/// UTF-8, raw control characters in strings, unknown escapes, unpaired UTF-16 surrogates in `\u`
/// escapes, leading zeros, integers beyond Int64, doubles beyond Double's range, nesting deeper
/// than `maxDepth`, and, when asked, duplicate keys.
public enum JSONReader {
    public struct Options: Sendable {
        /// Objects and arrays nested deeper than this are rejected, so hostile input cannot
        /// exhaust the stack.
        public var maxDepth: Int
        /// Reject an object that repeats a key (RFC 8259 leaves their meaning open).
        public var rejectDuplicateKeys: Bool

        public init(maxDepth: Int = 512, rejectDuplicateKeys: Bool = false) {
            self.maxDepth = maxDepth
            self.rejectDuplicateKeys = rejectDuplicateKeys
        }
    }

    public static func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, options: Options = Options()
    ) throws(JSONError) -> JSONValue {
        try JSONScanner.scan(bytes, maxDepth: options.maxDepth) { (scanner) throws(JSONError) in
            let value = try scanner.readValue(rejectDuplicateKeys: options.rejectDuplicateKeys)
            try scanner.finish()
            return value
        }
    }

    public static func parse(_ text: String, options: Options = Options()) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), options: options)
    }
}

extension JSONScanner {
    /// Any value, recursively (depth-limited by `beginObject`/`beginArray`).
    mutating func readValue(rejectDuplicateKeys: Bool) throws(JSONError) -> JSONValue {
        guard let byte = peekSignificant() else { throw unexpected(expected: "a value") }
        switch byte {
        case UInt8(ascii: "{"):
            return .object(try readMembers(rejectDuplicateKeys: rejectDuplicateKeys))
        case UInt8(ascii: "["):
            try beginArray()
            var elements: [JSONValue] = []
            var first = true
            while try nextElement(first: &first) {
                elements.append(try readValue(rejectDuplicateKeys: rejectDuplicateKeys))
            }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(String(decoding: bytes(of: try readStringToken()), as: UTF8.self))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch try readNumber() {
            case .integer(let value): return .integer(value)
            case .double(let value): return .double(value)
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try readBool())
        default:
            if try readNullIfPresent() { return .null }
            throw unexpected(expected: "a value")
        }
    }

    private mutating func readMembers(rejectDuplicateKeys: Bool) throws(JSONError) -> [JSONMember] {
        try beginObject()
        var members: [JSONMember] = []
        var seenKeys = Set<String>()  // filled only when checking duplicates
        var first = true
        while let keyToken = try nextKey(first: &first) {
            let key = String(decoding: bytes(of: keyToken), as: UTF8.self)
            if rejectDuplicateKeys, !seenKeys.insert(key).inserted {
                throw error("duplicate key \(key.debugDescription)", at: keyToken.offset)
            }
            members.append(JSONMember(key: key, value: try readValue(rejectDuplicateKeys: rejectDuplicateKeys)))
        }
        return members
    }
}
