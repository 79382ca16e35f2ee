extension JSONScanner {
    /// `{"type":…,"representation":…,"value":…}`, with `"name"` too (and only) in the Fields
    /// array form, where `keyName` is nil. Keys may come in any order: a value met before its type
    /// is checked for syntax, then read again once the type is known.
    mutating func readLongForm(keyName: ByteString?) throws(JSONError) -> Field {
        let objectOffset = position
        try beginObject()
        var name = keyName
        var type: FieldValueType?
        var representation: ByteString?
        var values: FieldValues?
        var valueOffsetBeforeType: Int?
        var seen: UInt8 = 0  // one bit per LongFormKey
        var first = true
        while let keyToken = try nextKey(first: &first) {
            guard let longKey = LongFormKey.allCases.first(where: { matches(keyToken, $0.name) }) else {
                let keys = keyName == nil ? "name, type, representation and value" : "type, representation and value"
                throw error("unknown key \(quoted(keyToken)) in a field's long form; it has \(keys)", at: keyToken.offset)
            }
            let bit: UInt8 = 1 << longKey.rawValue
            guard seen & bit == 0 else { throw error("duplicate key \(quoted(keyToken))", at: keyToken.offset) }
            seen |= bit
            switch longKey {
            case .name:
                guard keyName == nil else {
                    throw error(
                        "\"name\" is only for the Fields array form; in the Fields object the key is the name",
                        at: keyToken.offset)
                }
                name = try readByteString("the field name")
            case .type:
                type = try readFieldType()
            case .representation:
                representation = try readOptionalByteString("representation")
            case .value:
                if let type {
                    values = try readLongValues(type)
                } else {
                    skipWhitespace()
                    valueOffsetBeforeType = position
                    _ = try readValue(rejectDuplicateKeys: false)
                }
            }
        }
        let field = keyName.map { "field \(Self.quoted($0))" } ?? "a field in the Fields array"
        guard let type else { throw error("\(field) needs \"type\" (\(FieldValueType.nameList))", at: objectOffset) }
        if let valueOffsetBeforeType {
            var rescan = self
            rescan.position = valueOffsetBeforeType
            values = try rescan.readLongValues(type)
        }
        guard let values else { throw error("\(field) needs \"value\"", at: objectOffset) }
        guard let name else { throw error("\(field) needs \"name\"", at: objectOffset) }
        return Field(name: name, representation: representation, values: values)
    }

    private mutating func readFieldType() throws(JSONError) -> FieldValueType {
        guard peekSignificant() == UInt8(ascii: "\"") else {
            throw unexpected(expected: "a type name (\(FieldValueType.nameList))")
        }
        let token = try readStringToken()
        guard let type = FieldValueType.named(bytes(of: token)) else {
            throw error("unknown field type \(quoted(token)); the types are \(FieldValueType.nameList)", at: token.offset)
        }
        return type
    }

    /// One element, or an array of any number of them (the only way to say "no values").
    private mutating func readLongValues(_ type: FieldValueType) throws(JSONError) -> FieldValues {
        switch type {
        case .string: .string(try readOneOrMany { (scanner) throws(JSONError) in try scanner.readByteString("a string value") })
        case .bytes:
            .bytes(try readOneOrMany { (scanner) throws(JSONError) in ByteString(try scanner.readBase64String("a bytes value")) })
        case .integer: .integer(try readOneOrMany { (scanner) throws(JSONError) in try scanner.readIntegerValue() })
        case .double: .double(try readOneOrMany { (scanner) throws(JSONError) in try scanner.readDoubleValue() })
        case .bool: .bool(try readOneOrMany { (scanner) throws(JSONError) in try scanner.readBool() })
        }
    }

    private mutating func readOneOrMany<Value>(
        _ readElement: (inout JSONScanner) throws(JSONError) -> Value
    ) throws(JSONError) -> [Value] {
        guard peekSignificant() == UInt8(ascii: "[") else { return [try readElement(&self)] }
        try beginArray()
        var values: [Value] = []
        var first = true
        while try nextElement(first: &first) { values.append(try readElement(&self)) }
        return values
    }

    private mutating func readIntegerValue() throws(JSONError) -> Int64 {
        guard let byte = peekSignificant(), byte == UInt8(ascii: "-") || Self.isDigit(byte) else {
            throw unexpected(expected: "an integer value")
        }
        let start = position
        guard case .integer(let value) = try readNumber() else {
            throw error("an integer value cannot have a fraction or exponent", at: start)
        }
        return value
    }

    /// A number (integers read as doubles), or `"NaN"`, `"Infinity"`, `"-Infinity"`, or
    /// `"NaN:<16 hex digits>"` for a NaN with another bit pattern.
    private mutating func readDoubleValue() throws(JSONError) -> Double {
        switch peekSignificant() {
        case UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")):
            switch try readNumber() {
            case .integer(let value): return Double(value)
            case .double(let value): return value
            }
        case UInt8(ascii: "\""):
            let token = try readStringToken()
            guard let value = Self.nonFiniteDouble(bytes(of: token)) else {
                throw error(
                    "\(quoted(token)) is not a double; non-finite values are \"NaN\", \"Infinity\", \"-Infinity\" or \"NaN:<16 hex digits>\"",
                    at: token.offset)
            }
            return value
        default:
            throw unexpected(expected: "a number or \"NaN\", \"Infinity\", \"-Infinity\" for a double value")
        }
    }

    private static func nonFiniteDouble(_ text: [UInt8]) -> Double? {
        let string = String(decoding: text, as: UTF8.self)
        switch string {
        case NonFiniteDoubleName.nan: return .nan
        case NonFiniteDoubleName.infinity: return .infinity
        case NonFiniteDoubleName.negativeInfinity: return -.infinity
        default:
            let prefix = NonFiniteDoubleName.nanWithBitsPrefix
            guard string.hasPrefix(prefix), text.count == prefix.utf8.count + 16 else { return nil }
            var bits: UInt64 = 0
            for digit in text.dropFirst(prefix.utf8.count) {
                guard let value = hexDigitValue(digit) else { return nil }
                bits = bits << 4 | UInt64(value)
            }
            let value = Double(bitPattern: bits)
            return value.isNaN ? value : nil
        }
    }
}
