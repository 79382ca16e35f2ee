import RunnelCore

/// Heka's `[X.message_fields]` table: each key names a `MessageTarget`, each value is text in which
/// `%name%` (a word of letters, digits and `_`) is replaced by a value the decoder supplies (a
/// regex capture, say). Entries apply in the order the file lists them.
struct MessageFieldsTemplate: Sendable {
    enum Part: Sendable, Equatable {
        case literal([UInt8])
        case variable(String)
    }

    struct Entry: Sendable {
        var key: String
        var target: MessageTarget
        var parts: [Part]
    }

    let entries: [Entry]

    var isEmpty: Bool { entries.isEmpty }

    /// Every `%name%` the values use.
    var variableNames: Set<String> {
        var names = Set<String>()
        for entry in entries {
            for case .variable(let name) in entry.parts { names.insert(name) }
        }
        return names
    }

    /// `interpolates` false keeps values literal (ScribbleDecoder, as in Heka).
    init(table: ConfigTable?, optionKey: String, interpolates: Bool) throws(PluginBuildError) {
        var entries: [Entry] = []
        for entry in table?.entries ?? [] {
            guard let text = entry.value.stringValue else {
                throw PluginBuildError(key: "\(optionKey).\(entry.key)", "must be a string, not \(entry.value.kindDescription)")
            }
            let parts = interpolates ? Self.parts(of: Array(text.utf8)) : [.literal(Array(text.utf8))]
            entries.append(Entry(key: entry.key, target: MessageTarget(key: entry.key), parts: parts))
        }
        self.entries = entries
    }

    static func parts(of text: [UInt8]) -> [Part] {
        var parts: [Part] = []
        var literal: [UInt8] = []
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "%"),
               let close = text[(index + 1)...].firstIndex(where: { !isWordByte($0) }),
               text[close] == UInt8(ascii: "%"), close > index + 1 {
                if !literal.isEmpty { parts.append(.literal(literal)); literal = [] }
                parts.append(.variable(String(decoding: text[(index + 1)..<close], as: UTF8.self)))
                index = close + 1
                continue
            }
            literal.append(text[index])
            index += 1
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
        default: false
        }
    }

    /// The value of `parts` with each variable replaced by `resolve(name)`, or by `<name>` when
    /// it has no value (Heka's placeholder, so a typo shows in the output).
    static func render(_ parts: [Part], resolve: (String) -> ArraySlice<UInt8>?) -> [UInt8] {
        if parts.count == 1, case .literal(let bytes) = parts[0] { return bytes }
        var out: [UInt8] = []
        for part in parts {
            switch part {
            case .literal(let bytes): out += bytes
            case .variable(let name):
                if let value = resolve(name) { out += value } else { out += Array("<\(name)>".utf8) }
            }
        }
        return out
    }
}
