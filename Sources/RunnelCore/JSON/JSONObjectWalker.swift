/// A member value met while walking a JSON object with `JSONObjectWalker`.
public enum JSONMemberValue: Sendable, Equatable {
    /// The unescaped UTF-8 bytes of a string.
    case string([UInt8])
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null
    /// Arrays are handed over whole (their elements may be anything).
    case array([JSONValue])
}

/// Walks one JSON object straight from its bytes, for decoders that turn JSON into fields: every
/// member that is not itself an object is handed to `visit` under its flattened name (the keys
/// from the top, joined by `separator`), nested objects are walked in place. No `JSONValue` tree
/// and no `String` is built for objects, so a log line costs little more than its fields.
///
/// As strict as `JSONReader`, each error at its byte; a document that is not one object is an
/// error at its first byte.
public enum JSONObjectWalker {
    public static func walk<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, separator: [UInt8], maxDepth: Int = 512,
        _ visit: (_ name: [UInt8], _ value: JSONMemberValue) -> Void
    ) throws(JSONError) {
        try JSONScanner.scan(bytes, maxDepth: maxDepth) { (scanner) throws(JSONError) in
            if let byte = scanner.peekSignificant(), byte != UInt8(ascii: "{") {
                throw scanner.error("expected a JSON object, found \(JSONScanner.kind(startingWith: byte))", at: scanner.position)
            }
            var name: [UInt8] = []
            name.reserveCapacity(64)
            try scanner.walkMembers(name: &name, separator: separator, visit)
            try scanner.finish()
        }
    }
}

extension JSONScanner {
    mutating func walkMembers(name: inout [UInt8], separator: [UInt8],
                              _ visit: (_ name: [UInt8], _ value: JSONMemberValue) -> Void) throws(JSONError) {
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            let mark = name.count
            if mark > 0 { name += separator }
            withBytes(of: key) { name.append(contentsOf: $0) }
            guard let byte = peekSignificant() else { throw unexpected(expected: "a value") }
            switch byte {
            case UInt8(ascii: "{"):
                try walkMembers(name: &name, separator: separator, visit)
            case UInt8(ascii: "\""):
                visit(name, .string(bytes(of: try readStringToken())))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                switch try readNumber() {
                case .integer(let value): visit(name, .integer(value))
                case .double(let value): visit(name, .double(value))
                }
            case UInt8(ascii: "["):
                guard case .array(let elements) = try readValue(rejectDuplicateKeys: false) else {
                    throw unexpected(expected: "an array")
                }
                visit(name, .array(elements))
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                visit(name, .bool(try readBool()))
            default:
                guard try readNullIfPresent() else { throw unexpected(expected: "a value") }
                visit(name, .null)
            }
            name.removeSubrange(mark...)
        }
    }

    /// "an array", "a string", … for a value starting with `byte`.
    static func kind(startingWith byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "a number"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        default: describe(byte)
        }
    }
}
