extension ConfigValue: CustomStringConvertible {
    /// The value in TOML syntax, with every secret replaced by `<from %ENV[NAME]>`. This is the
    /// only form in which diagnostics and logs may show a configuration value.
    public var description: String {
        if let secretVariable { return "<from %ENV[\(secretVariable)]>" }
        switch content {
        case .string(let value): return Self.quoted(value)
        case .integer(let value): return String(value)
        case .double(let value):
            if value.isNaN { return "nan" }
            if value.isInfinite { return value < 0 ? "-inf" : "inf" }
            return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .dateTime(let value): return value.description
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .table(let table):
            if table.isEmpty { return "{}" }
            let pairs = table.entries.map { ConfigTable.quotedKey($0.key) + " = " + $0.value.description }
            return "{ " + pairs.joined(separator: ", ") + " }"
        }
    }

    /// A TOML basic string with the escapes it needs.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension ConfigValue {
    /// How a value is quoted inside a diagnostic sentence: `'text'` for strings, TOML syntax for
    /// the rest, `<from %ENV[NAME]>` for secrets.
    var messageText: String {
        if let secretVariable { return "<from %ENV[\(secretVariable)]>" }
        if let text = stringValue { return "'\(text)'" }
        return description
    }
}
