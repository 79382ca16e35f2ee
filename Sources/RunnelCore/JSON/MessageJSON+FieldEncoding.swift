extension JSONWriter {
    /// The object form `{"name": value, …}` when names are unique UTF-8, otherwise the array form
    /// `[{"name": …, "type": …, "value": …}, …]`, which keeps repeats and their order exactly.
    mutating func fields(_ fields: [Field]) {
        let start = bytes.count
        if !FieldNameRepeats.containsRepeat(fields), fieldsObject(fields) { return }
        bytes.removeSubrange(start...)
        needsComma = false
        beginArray()
        for field in fields { longForm(field, named: true) }
        endArray()
    }

    /// False (leaving a partial object for the caller to remove) at a name that is not UTF-8.
    private mutating func fieldsObject(_ fields: [Field]) -> Bool {
        beginObject()
        for field in fields {
            let named = field.name.bytes.withUnsafeBufferPointer { appendKey($0, repairing: false) }
            guard named else { return false }
            let valueStart = bytes.count
            if !shortForm(field) {
                bytes.removeSubrange(valueStart...)
                needsComma = false
                longForm(field, named: false)
            }
        }
        endObject()
        return true
    }

    /// The natural form: a bare value for one value, an array for several. False when the field
    /// needs the long form (what is written so far is then discarded by the caller).
    private mutating func shortForm(_ field: Field) -> Bool {
        guard field.representation == nil, field.values.count > 0 else { return false }
        switch field.values {
        case .string(let values):
            return shortValues(values) { writer, value in
                value.bytes.withUnsafeBufferPointer { writer.appendString($0, repairing: false) }
            }
        case .bytes:
            return false
        case .integer(let values):
            return shortValues(values) { writer, value in
                writer.integer(value)
                return true
            }
        case .double(let values):
            guard values.allSatisfy(\.isFinite) else { return false }
            return shortValues(values) { writer, value in writer.double(value) }
        case .bool(let values):
            return shortValues(values) { writer, value in
                writer.bool(value)
                return true
            }
        }
    }

    private mutating func shortValues<Value>(
        _ values: [Value], _ write: (inout JSONWriter, Value) -> Bool
    ) -> Bool {
        if values.count == 1 { return write(&self, values[0]) }
        beginArray()
        for value in values where !write(&self, value) { return false }
        endArray()
        return true
    }

    /// `{"name":…,"type":…,"representation":…,"value":…}`: says everything the short form cannot.
    mutating func longForm(_ field: Field, named: Bool) {
        beginObject()
        if named {
            key(LongFormKey.name.jsonKey)
            exactString(field.name)
        }
        key(LongFormKey.type.jsonKey)
        string(field.valueType.name)
        if let representation = field.representation {
            key(LongFormKey.representation.jsonKey)
            exactString(representation)
        }
        key(LongFormKey.value.jsonKey)
        switch field.values {
        case .string(let values): longValues(values) { $0.exactString($1) }
        case .bytes(let values): longValues(values) { $0.base64String($1.bytes) }
        case .integer(let values): longValues(values) { $0.integer($1) }
        case .double(let values): longValues(values) { $0.exactDouble($1) }
        case .bool(let values): longValues(values) { $0.bool($1) }
        }
        endObject()
    }

    private mutating func longValues<Value>(_ values: [Value], _ write: (inout JSONWriter, Value) -> Void) {
        if values.count == 1 { return write(&self, values[0]) }
        beginArray()
        for value in values { write(&self, value) }
        endArray()
    }

    /// A finite double as a number; NaN and the infinities by name, NaN payloads kept.
    private mutating func exactDouble(_ value: Double) {
        if value.isFinite {
            double(value)
            return
        }
        if value.isInfinite { return string(value < 0 ? NonFiniteDoubleName.negativeInfinity : NonFiniteDoubleName.infinity) }
        if value.bitPattern == Double.nan.bitPattern { return string(NonFiniteDoubleName.nan) }
        let hex = String(value.bitPattern, radix: 16)
        string(NonFiniteDoubleName.nanWithBitsPrefix + String(repeating: "0", count: 16 - hex.count) + hex)
    }
}
