import Foundation
import RunnelCore

/// Writes a message's dynamic fields as document members, typed (numbers stay numbers, booleans
/// booleans) and always valid JSON:
/// - a name that occurs several times (`Fields[name][1]`) becomes one member holding every value
///   in an array, rather than repeated keys, which JSON parsers disagree about;
/// - a field whose key is already taken (by a header member, or by another field after
///   `replace_dots_with`) is written as `Fields[name]` instead of overwriting or repeating it;
/// - one value is written bare, several as an array; a NaN or infinity becomes `null`;
/// - bytes are base64 text (Elasticsearch's `binary`), except in `raw_bytes_fields`, whose value is
///   inserted as JSON when it parses as JSON (without duplicate keys), and as a string otherwise.
public struct ESDynamicFields: Sendable {
    /// Only these names (Heka's `dynamic_fields`); every field when nil.
    public var only: Set<ByteString>?
    public var raw: Set<ByteString>
    /// Replacement for `.` in keys; nil keeps dots.
    public var replaceDotsWith: [UInt8]?

    public init(only: Set<ByteString>? = nil, raw: Set<ByteString> = [], replaceDotsWith: String? = nil) {
        self.only = only
        self.raw = raw
        self.replaceDotsWith = replaceDotsWith.flatMap { $0 == "." ? nil : Array($0.utf8) }
    }

    /// Writes the fields as members of the open object; `taken` holds the keys written so far.
    public func write(_ fields: [Field], into writer: inout JSONWriter, taken: inout [[UInt8]]) {
        for index in fields.indices {
            let name = fields[index].name
            if let only, !only.contains(name) { continue }
            // A repeated name was written, with all its values, at its first occurrence.
            if fields[..<index].contains(where: { $0.name == name }) { continue }
            let repeated = fields[(index + 1)...].contains { $0.name == name }
            let key = uniqueKey(for: name, taken: &taken)
            if key == name.bytes { writer.key(name) } else { writer.key(ByteString(key)) }
            let isRaw = !raw.isEmpty && raw.contains(name)
            if !repeated && fields[index].values.count == 1 {
                writeValues(fields[index].values, raw: isRaw, into: &writer)
            } else {
                writer.beginArray()
                for member in fields[index...] where member.name == name { writeValues(member.values, raw: isRaw, into: &writer) }
                writer.endArray()
            }
        }
    }

    private func uniqueKey(for name: ByteString, taken: inout [[UInt8]]) -> [UInt8] {
        var key = name.bytes
        if let replaceDotsWith, key.contains(UInt8(ascii: ".")) {
            var replaced: [UInt8] = []
            for byte in key { if byte == UInt8(ascii: ".") { replaced += replaceDotsWith } else { replaced.append(byte) } }
            key = replaced
        }
        if taken.contains(key) {
            key = Array("Fields[".utf8) + name.bytes + [UInt8(ascii: "]")]
            var suffix = 2
            let base = key
            while taken.contains(key) {
                key = base + Array("#\(suffix)".utf8)
                suffix += 1
            }
        }
        taken.append(key)
        return key
    }

    /// The values of one occurrence, each as its own JSON value.
    private func writeValues(_ values: FieldValues, raw isRaw: Bool, into writer: inout JSONWriter) {
        switch values {
        case .string(let strings):
            for value in strings {
                if isRaw { writeText(value.bytes, raw: true, into: &writer) } else { writer.string(value) }
            }
        case .bytes(let blobs):
            for value in blobs {
                if isRaw { writeText(value.bytes, raw: true, into: &writer) } else { writer.string(Data(value.bytes).base64EncodedString()) }
            }
        case .integer(let integers):
            for value in integers { writer.integer(value) }
        case .double(let doubles):
            for value in doubles { writer.double(value) }
        case .bool(let bools):
            for value in bools { writer.bool(value) }
        }
    }

    private func writeText(_ bytes: [UInt8], raw isRaw: Bool, into writer: inout JSONWriter) {
        if isRaw, let parsed = try? JSONReader.parse(bytes, options: .init(maxDepth: 64, rejectDuplicateKeys: true)) {
            writer.value(parsed)
        } else {
            writer.string(bytes)
        }
    }
}
