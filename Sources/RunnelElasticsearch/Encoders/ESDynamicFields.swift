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

    /// Writes the fields as members of the open object; `reservedKeys` are the keys already written
    /// (the header members), which a field must not repeat.
    public func write(_ fields: [Field], into writer: inout JSONWriter, reservedKeys: [[UInt8]] = []) {
        write(fields, into: &writer, reservedKeys: ESReservedKeys(reservedKeys))
    }

    public func write(_ fields: [Field], into writer: inout JSONWriter, reservedKeys: ESReservedKeys) {
        fields.withUnsafeBufferPointer { fields in
            if replaceDotsWith == nil && !Self.hasRepeatedNames(fields) {
                writeDistinct(fields, into: &writer, reservedKeys: reservedKeys)
            } else {
                writeGeneral(fields, into: &writer, reservedKeys: reservedKeys)
            }
        }
    }

    /// The common document: every name once and keys are names. A key then differs from the keys
    /// of earlier fields unless one of those was renamed, so only renamed keys are remembered.
    private func writeDistinct(_ fields: UnsafeBufferPointer<Field>, into writer: inout JSONWriter, reservedKeys: ESReservedKeys) {
        var renamed: [[UInt8]] = []
        for index in fields.indices {
            if let only, !only.contains(fields[index].name) { continue }
            let isRaw = !raw.isEmpty && raw.contains(fields[index].name)
            if reservedKeys.contains(fields[index].name.bytes) || (!renamed.isEmpty && renamed.contains(fields[index].name.bytes)) {
                let key = Self.renamedKey(for: fields[index].name) { candidate in
                    reservedKeys.contains(candidate) || renamed.contains(candidate)
                        || fields[..<index].contains { (only?.contains($0.name) ?? true) && $0.name.bytes == candidate }
                }
                renamed.append(key)
                writer.key(ByteString(key))
            } else {
                writer.key(fields[index].name)
            }
            writeOccurrence(fields[index].values, raw: isRaw, alone: true, into: &writer)
        }
    }

    /// Repeated names or replaced dots: every key written is remembered.
    private func writeGeneral(_ fields: UnsafeBufferPointer<Field>, into writer: inout JSONWriter, reservedKeys: ESReservedKeys) {
        var written: [[UInt8]] = []
        written.reserveCapacity(fields.count)
        for index in fields.indices {
            let name = fields[index].name
            if let only, !only.contains(name) { continue }
            // A repeated name was written, with all its values, at its first occurrence.
            if fields[..<index].contains(where: { $0.name == name }) { continue }
            let repeated = fields[(index + 1)...].contains { $0.name == name }
            let key = uniqueKey(for: name, reserved: reservedKeys, written: &written)
            if key == name.bytes { writer.key(name) } else { writer.key(ByteString(key)) }
            let isRaw = !raw.isEmpty && raw.contains(name)
            if !repeated {
                writeOccurrence(fields[index].values, raw: isRaw, alone: true, into: &writer)
            } else {
                writer.beginArray()
                for member in fields[index...] where member.name == name {
                    writeOccurrence(member.values, raw: isRaw, alone: false, into: &writer)
                }
                writer.endArray()
            }
        }
    }

    private static func hasRepeatedNames(_ fields: UnsafeBufferPointer<Field>) -> Bool {
        guard fields.count > 1 else { return false }
        for later in 1..<fields.count {
            for earlier in 0..<later where fields[earlier].name.bytes == fields[later].name.bytes { return true }
        }
        return false
    }

    private func uniqueKey(for name: ByteString, reserved: ESReservedKeys, written: inout [[UInt8]]) -> [UInt8] {
        var key = name.bytes
        if let replaceDotsWith, key.contains(UInt8(ascii: ".")) {
            var replaced: [UInt8] = []
            for byte in key { if byte == UInt8(ascii: ".") { replaced += replaceDotsWith } else { replaced.append(byte) } }
            key = replaced
        }
        if reserved.contains(key) || written.contains(key) {
            key = Self.renamedKey(for: name) { reserved.contains($0) || written.contains($0) }
        }
        written.append(key)
        return key
    }

    /// `Fields[name]`, then `Fields[name]#2`, `#3`… until `isTaken` says no.
    private static func renamedKey(for name: ByteString, isTaken: ([UInt8]) -> Bool) -> [UInt8] {
        let base = Array("Fields[".utf8) + name.bytes + [UInt8(ascii: "]")]
        var key = base
        var suffix = 2
        while isTaken(key) {
            key = base + Array("#\(suffix)".utf8)
            suffix += 1
        }
        return key
    }

    /// One occurrence's values: a single value bare when `alone`, otherwise each as its own JSON
    /// value inside the caller's array (or in an array of their own when alone and several).
    private func writeOccurrence(_ values: FieldValues, raw isRaw: Bool, alone: Bool, into writer: inout JSONWriter) {
        let wrap = alone && values.count != 1
        if wrap { writer.beginArray() }
        writeValues(values, raw: isRaw, into: &writer)
        if wrap { writer.endArray() }
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
