extension JSONScanner {
    /// `Fields`: an object keyed by name (names unique), an array of named long forms (names may
    /// repeat), or null for none.
    mutating func readFields() throws(JSONError) -> [Field] {
        if try readNullIfPresent() { return [] }
        switch peekSignificant() {
        case UInt8(ascii: "{"): return try readFieldsObject()
        case UInt8(ascii: "["): return try readFieldsArray()
        default: throw unexpected(expected: "an object, or an array of named long forms, for Fields")
        }
    }

    private mutating func readFieldsObject() throws(JSONError) -> [Field] {
        try beginObject()
        var fields: [Field] = []
        fields.reserveCapacity(8)  // most messages have a handful; saves the 1, 2, 4 regrowths
        var repeats = FieldNameRepeats()
        var first = true
        while let keyToken = try nextKey(first: &first) {
            let name = ByteString(bytes(of: keyToken))
            if repeats.isRepeat(name, earlier: fields[...]) {
                throw error(
                    "field \(quoted(keyToken)) appears twice in the Fields object; repeated names need the Fields array form",
                    at: keyToken.offset)
            }
            fields.append(try readFieldValue(named: name))
        }
        return fields
    }

    private mutating func readFieldsArray() throws(JSONError) -> [Field] {
        try beginArray()
        var fields: [Field] = []
        var first = true
        while try nextElement(first: &first) {
            guard peekSignificant() == UInt8(ascii: "{") else {
                throw unexpected(expected: "a field object with \"name\", \"type\" and \"value\" in the Fields array")
            }
            fields.append(try readLongForm(keyName: nil))
        }
        return fields
    }

    /// A member of the Fields object: a bare value, an array of one kind, or a long form object.
    private mutating func readFieldValue(named name: ByteString) throws(JSONError) -> Field {
        guard let byte = peekSignificant() else { throw unexpected(expected: "a field value") }
        switch byte {
        case UInt8(ascii: "\""):
            return Field(name: name, values: .string([ByteString(bytes(of: try readStringToken()))]))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch try readNumber() {
            case .integer(let value): return Field(name: name, values: .integer([value]))
            case .double(let value): return Field(name: name, values: .double([value]))
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return Field(name: name, values: .bool([try readBool()]))
        case UInt8(ascii: "["):
            return Field(name: name, values: try readShortArray(fieldName: name))
        case UInt8(ascii: "{"):
            return try readLongForm(keyName: name)
        default:
            let start = position
            if try readNullIfPresent() {
                throw error(
                    "field \(Self.quoted(name)) is null, which has no type; write an empty field as {\"type\":\"string\",\"value\":[]}",
                    at: start)
            }
            throw unexpected(expected: "a string, number, boolean, array or object for field \(Self.quoted(name))")
        }
    }

    /// `[v, …]`: all strings, all booleans, or all numbers (integers unless any has a fraction or
    /// exponent, then all doubles).
    private mutating func readShortArray(fieldName name: ByteString) throws(JSONError) -> FieldValues {
        let arrayOffset = position
        try beginArray()
        var kind: FieldValueType?
        var strings: [ByteString] = []
        var integers: [Int64] = []
        var doubles: [Double] = []
        var bools: [Bool] = []
        var first = true
        while try nextElement(first: &first) {
            let elementOffset = position
            let elementKind: FieldValueType
            switch input[position] {
            case UInt8(ascii: "\""):
                elementKind = .string
                strings.append(ByteString(bytes(of: try readStringToken())))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                switch try readNumber() {
                case .integer(let value) where kind == .double:
                    elementKind = .double
                    doubles.append(Double(value))
                case .integer(let value):
                    elementKind = .integer
                    integers.append(value)
                case .double(let value):
                    elementKind = .double
                    if kind == .integer {
                        doubles = integers.map(Double.init)
                        kind = .double
                    }
                    doubles.append(value)
                }
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                elementKind = .bool
                bools.append(try readBool())
            default:
                throw error(
                    "field \(Self.quoted(name)): array elements must be strings, numbers or booleans; other values need the long form",
                    at: elementOffset)
            }
            if let kind, kind != elementKind {
                throw error(
                    "field \(Self.quoted(name)): an array mixes \(kind.name) and \(elementKind.name) values",
                    at: elementOffset)
            }
            kind = elementKind
        }
        switch kind {
        case .string: return .string(strings)
        case .integer: return .integer(integers)
        case .double: return .double(doubles)
        case .bool: return .bool(bools)
        case .bytes, nil:
            throw error(
                "field \(Self.quoted(name)): an empty array has no type; write {\"type\":\"string\",\"value\":[]}",
                at: arrayOffset)
        }
    }

    static func quoted(_ name: ByteString) -> String { name.string.debugDescription }
}
