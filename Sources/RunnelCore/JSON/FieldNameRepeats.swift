/// Spots a field name that already occurred: compares directly for the usual handful of fields
/// and switches to hashing past 32, so a message with thousands of fields stays linear.
struct FieldNameRepeats {
    static let hashingThreshold = 32
    private var seen: Set<ByteString> = []

    /// Whether `name` is among `earlier`, the names checked before it (in the same order, one call
    /// per field).
    mutating func isRepeat<Earlier: Collection<Field>>(_ name: ByteString, earlier: Earlier) -> Bool {
        guard earlier.count >= Self.hashingThreshold else {
            return earlier.contains { $0.name == name }
        }
        if seen.isEmpty { seen = Set(earlier.lazy.map(\.name)) }
        return !seen.insert(name).inserted
    }

    static func containsRepeat(_ fields: UnsafeBufferPointer<Field>) -> Bool {
        var repeats = FieldNameRepeats()
        return fields.indices.contains { repeats.isRepeat(fields[$0].name, earlier: fields[..<$0]) }
    }
}
