/// The human-readable form of a message used by `runnel cat`/`match --format txt` (and the
/// RstEncoder): one `:Name: value` line per header variable, then one line per field.
/// Strings are printed as text with invalid UTF-8 replaced (this form is for reading, not for
/// round trips: use the JSON or Heka formats for that).
public enum MessageTextFormat {
    public static func render(_ message: Message) -> String {
        var out = ""
        out += ":Timestamp: \(CivilTime(nanosecondsSinceEpoch: message.timestamp).rfc3339Nano)\n"
        out += ":Type: \(message.type?.string ?? "")\n"
        out += ":Hostname: \(message.hostname?.string ?? "")\n"
        out += ":Pid: \(message.pid ?? 0)\n"
        out += ":Uuid: \(message.uuid?.string ?? "")\n"
        out += ":Logger: \(message.logger?.string ?? "")\n"
        out += ":Payload: \(message.payload?.string ?? "")\n"
        out += ":EnvVersion: \(message.envVersion?.string ?? "")\n"
        out += ":Severity: \(message.effectiveSeverity)\n"
        out += ":Fields:\n"
        for field in message.fields {
            out += "    | name:\"\(field.name.string)\" type:\(field.valueType.name)"
            if let representation = field.representation, !representation.isEmpty {
                out += " representation:\"\(representation.string)\""
            }
            out += " value:\(renderValues(field.values))\n"
        }
        return out
    }

    static func renderValues(_ values: FieldValues) -> String {
        let rendered: [String]
        switch values {
        case .string(let strings): rendered = strings.map { $0.string.debugDescription }
        case .bytes(let blobs): rendered = blobs.map { hex($0.bytes) }
        case .integer(let integers): rendered = integers.map { String($0) }
        case .double(let doubles): rendered = doubles.map { String($0) }
        case .bool(let bools): rendered = bools.map { String($0) }
        }
        return rendered.count == 1 ? rendered[0] : "[" + rendered.joined(separator: ",") + "]"
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2 + 2)
        out.append(contentsOf: Array("0x".utf8))
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
