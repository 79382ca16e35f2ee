extension JSONWriter {
    /// The message object: header keys in Heka's order, each present only when set (`Timestamp`
    /// always), then `Fields` when there are any.
    mutating func message(_ message: Message) {
        beginObject()
        if let uuid = message.uuid {
            key(MessageHeaderKey.uuid.jsonKey)
            uuidString(uuid)
        }
        key(MessageHeaderKey.timestamp.jsonKey)
        integer(message.timestamp)
        byteStringMember(.type, message.type)
        byteStringMember(.logger, message.logger)
        if let severity = message.severity {
            key(MessageHeaderKey.severity.jsonKey)
            integer(Int64(severity))
        }
        byteStringMember(.payload, message.payload)
        byteStringMember(.envVersion, message.envVersion)
        if let pid = message.pid {
            key(MessageHeaderKey.pid.jsonKey)
            integer(Int64(pid))
        }
        byteStringMember(.hostname, message.hostname)
        if !message.fields.isEmpty {
            key(MessageHeaderKey.fields.jsonKey)
            fields(message.fields)
        }
        endObject()
    }

    private mutating func byteStringMember(_ header: MessageHeaderKey, _ value: ByteString?) {
        guard let value else { return }
        key(header.jsonKey)
        exactString(value)
    }

    /// A JSON string when the bytes are UTF-8, otherwise `{"base64":"…"}`: never lossy.
    mutating func exactString(_ value: ByteString) {
        let written = value.bytes.withUnsafeBufferPointer { appendString($0, repairing: false) }
        guard !written else { return }
        needsComma = false  // the separator before the rejected string is already written
        beginObject()
        key(LongFormKey.base64)
        base64String(value.bytes)
        endObject()
    }

    mutating func base64String(_ value: [UInt8]) {
        separate()
        let length = Base64.encodedCount(value.count) + 2
        let output = reserve(length)
        output[0] = UInt8(ascii: "\"")
        value.withUnsafeBufferPointer { Base64.encode($0, to: output + 1) }
        output[length - 1] = UInt8(ascii: "\"")
        commit(length)
        needsComma = true
    }

    /// Heka's string form, lower-case `8-4-4-4-12` hex, written without building a `String`.
    private mutating func uuidString(_ uuid: MessageUUID) {
        let hexDigits: StaticString = "0123456789abcdef"
        separate()
        let output = reserve(38)
        output[0] = UInt8(ascii: "\"")
        var index = 1
        for byteIndex in 0..<16 {
            if byteIndex == 4 || byteIndex == 6 || byteIndex == 8 || byteIndex == 10 {
                output[index] = UInt8(ascii: "-")
                index += 1
            }
            let word = byteIndex < 8 ? uuid.high : uuid.low
            let byte = Int(truncatingIfNeeded: word >> (56 - 8 * UInt64(byteIndex % 8))) & 0xFF
            output[index] = hexDigits.utf8Start[byte >> 4]
            output[index + 1] = hexDigits.utf8Start[byte & 0xF]
            index += 2
        }
        output[37] = UInt8(ascii: "\"")
        commit(38)
        needsComma = true
    }
}
