/// Makes interpolated topic names legal for Kafka: `[A-Za-z0-9._-]`, at most 249 bytes.
///
/// Each substituted value loses its leading slashes, its other slashes become dots and any other
/// illegal byte becomes `_`, so the Marathon app id `/web/api` in `runnel.logs.%{Fields[MARATHON_APP_ID]}`
/// gives `runnel.logs.web.api`. Literal parts of the template are checked once, at configuration.
public enum KafkaTopicName {
    public static let maxLength = 249

    /// Rewrites one substituted value.
    public static func sanitiseValue(_ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var leading = true
        for byte in value {
            if leading && byte == UInt8(ascii: "/") { continue }
            leading = false
            switch byte {
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "."))
            case _ where isLegal(byte): out.append(byte)
            default: out.append(UInt8(ascii: "_"))
            }
        }
        return out
    }

    /// The final name: truncated to the limit; "." and ".." (reserved) and "" become `fallback`.
    public static func finish(_ name: [UInt8], fallback: String = "unknown") -> String {
        let trimmed = name.count > maxLength ? Array(name.prefix(maxLength)) : name
        let text = String(decoding: trimmed, as: UTF8.self)
        return text.isEmpty || text == "." || text == ".." ? fallback : text
    }

    /// The first illegal character in a literal topic (for configuration errors), or nil.
    public static func firstIllegalCharacter(in literal: String) -> Character? {
        literal.first { character in !character.utf8.allSatisfy(isLegal) }
    }

    static func isLegal(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
