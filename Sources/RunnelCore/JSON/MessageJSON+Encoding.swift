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
        bytes.append(UInt8(ascii: "\""))
        Base64.encode(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Heka's string form, lower-case `8-4-4-4-12` hex, written without building a `String`.
    private mutating func uuidString(_ uuid: MessageUUID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for position in 0..<32 {
            if position == 8 || position == 12 || position == 16 || position == 20 {
                bytes.append(UInt8(ascii: "-"))
            }
            let word = position < 16 ? uuid.high : uuid.low
            let digit = UInt8(truncatingIfNeeded: word >> (60 - 4 * UInt64(position % 16))) & 0xF
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }
}
