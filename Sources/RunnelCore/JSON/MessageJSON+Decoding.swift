extension JSONScanner {
    /// The message object. Header keys may come in any order, each at most once; `null` reads as
    /// unset. Unknown keys are rejected rather than dropped: a misspelt `"Hostame"` would
    /// otherwise lose data silently, and the shape promises a lossless round trip.
    mutating func readMessage() throws(JSONError) -> Message {
        guard peekSignificant() == UInt8(ascii: "{") else { throw unexpected(expected: "'{' starting a message object") }
        try beginObject()
        var message = Message()
        var seen: UInt16 = 0  // one bit per MessageHeaderKey
        var first = true
        while let keyToken = try nextKey(first: &first) {
            guard let header = headerKey(keyToken) else {
                throw error("unknown key \(quoted(keyToken)); a message has \(MessageHeaderKey.list)", at: keyToken.offset)
            }
            let bit: UInt16 = 1 << header.rawValue
            guard seen & bit == 0 else { throw error("duplicate key \(quoted(keyToken))", at: keyToken.offset) }
            seen |= bit
            switch header {
            case .uuid: message.uuid = try readUUID()
            case .timestamp: message.timestamp = try readInteger(header, Int64.self) ?? 0
            case .type: message.type = try readOptionalByteString("Type")
            case .logger: message.logger = try readOptionalByteString("Logger")
            case .severity: message.severity = try readInteger(header, Int32.self)
            case .payload: message.payload = try readOptionalByteString("Payload")
            case .envVersion: message.envVersion = try readOptionalByteString("EnvVersion")
            case .pid: message.pid = try readInteger(header, Int32.self)
            case .hostname: message.hostname = try readOptionalByteString("Hostname")
            case .fields: message.fields = try readFields()
            }
        }
        try finish()
        return message
    }

    private func headerKey(_ token: JSONStringToken) -> MessageHeaderKey? {
        MessageHeaderKey.allCases.first { matches(token, $0.name) }
    }

    /// A key or string for an error message, escaped like Swift source.
    func quoted(_ token: JSONStringToken) -> String {
        String(decoding: bytes(of: token), as: UTF8.self).debugDescription
    }

    private mutating func readUUID() throws(JSONError) -> MessageUUID? {
        if try readNullIfPresent() { return nil }
        guard peekSignificant() == UInt8(ascii: "\"") else {
            throw unexpected(expected: "a UUID string for Uuid")
        }
        let token = try readStringToken()
        guard let uuid = withBytes(of: token, Self.parseUUID) else {
            throw error("Uuid must look like 01234567-89ab-cdef-0123-456789abcdef, found \(quoted(token))", at: token.offset)
        }
        return uuid
    }

    /// The canonical `8-4-4-4-12` form only (either case): one spelling per UUID.
    private static func parseUUID(_ text: UnsafeBufferPointer<UInt8>) -> MessageUUID? {
        guard text.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (index, character) in text.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let value = hexDigitValue(character) else { return nil }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        return MessageUUID(high: high, low: low)
    }

    private mutating func readInteger<Value: FixedWidthInteger>(
        _ header: MessageHeaderKey, _: Value.Type
    ) throws(JSONError) -> Value? {
        if try readNullIfPresent() { return nil }
        let name = header.name.description
        guard let byte = peekSignificant(), byte == UInt8(ascii: "-") || Self.isDigit(byte) else {
            throw unexpected(expected: "an integer for \(name)")
        }
        let start = position
        guard case .integer(let value) = try readNumber() else {
            throw error("\(name) must be an integer, without fraction or exponent", at: start)
        }
        guard let exact = Value(exactly: value) else {
            throw error("\(name) \(value) is out of range (\(Value.min)...\(Value.max))", at: start)
        }
        return exact
    }

    /// A header string: a JSON string, `{"base64":"…"}` for bytes that are not UTF-8, or null.
    mutating func readOptionalByteString(_ what: String) throws(JSONError) -> ByteString? {
        if try readNullIfPresent() { return nil }
        return try readByteString(what)
    }

    /// A JSON string, or `{"base64":"…"}` holding bytes that are not valid UTF-8.
    mutating func readByteString(_ what: String) throws(JSONError) -> ByteString {
        switch peekSignificant() {
        case UInt8(ascii: "\""):
            return ByteString(bytes(of: try readStringToken()))
        case UInt8(ascii: "{"):
            return try readBase64Object(what)
        default:
            throw unexpected(expected: "a string or a {\"base64\": …} object for \(what)")
        }
    }

    private mutating func readBase64Object(_ what: String) throws(JSONError) -> ByteString {
        let objectOffset = position
        try beginObject()
        var decoded: [UInt8]?
        var first = true
        while let keyToken = try nextKey(first: &first) {
            guard matches(keyToken, "base64") else {
                throw error("unknown key \(quoted(keyToken)) in the {\"base64\": …} object for \(what)", at: keyToken.offset)
            }
            guard decoded == nil else { throw error("duplicate key \"base64\"", at: keyToken.offset) }
            decoded = try readBase64String(what)
        }
        guard let decoded else { throw error("the object for \(what) needs a \"base64\" string", at: objectOffset) }
        return ByteString(decoded)
    }

    /// A JSON string of canonical base64; errors point at the offending character.
    mutating func readBase64String(_ what: String) throws(JSONError) -> [UInt8] {
        guard peekSignificant() == UInt8(ascii: "\"") else { throw unexpected(expected: "a base64 string for \(what)") }
        let token = try readStringToken()
        do {
            return try Base64.decode(bytes(of: token))
        } catch {
            // Escapes shift positions; base64 rarely has any (`\/` at most), so point at the string then.
            let offset = token.hasEscapes ? token.offset : token.content.lowerBound + error.index
            throw self.error("bad base64 for \(what): \(error.reason)", at: offset)
        }
    }
}
