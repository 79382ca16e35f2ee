extension JSONWriter {
    /// The object form `{"name": value, …}` when names are unique UTF-8, otherwise the array form
    /// `[{"name": …, "type": …, "value": …}, …]`, which keeps repeats and their order exactly.
    mutating func fields(_ fields: [Field]) {
        let start = count
        let wroteObject = fields.withUnsafeBufferPointer { fields in
            // Usually repeats are spotted while writing; many fields are hashed up front instead.
            if fields.count > FieldNameRepeats.hashingThreshold {
                return !FieldNameRepeats.containsRepeat(fields) && fieldsObject(fields, checkingRepeats: false)
            }
            return fieldsObject(fields, checkingRepeats: true)
        }
        if wroteObject { return }
        truncate(to: start)
        needsComma = false
        beginArray()
        for field in fields { longForm(field, named: true) }
        endArray()
    }

    /// False (leaving a partial object for the caller to remove) at a name that is not UTF-8 or,
    /// when `checkingRepeats`, at a name seen before.
    private mutating func fieldsObject(_ fields: UnsafeBufferPointer<Field>, checkingRepeats: Bool) -> Bool {
        beginObject()
        // Fields are read through their addresses: copying a Field out would retain its arrays.
        guard let base = fields.baseAddress else {
            endObject()
            return true
        }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: checkingRepeats ? fields.count : 0) { signatures in
            for index in fields.indices {
                let field = base + index
                let named = field.pointee.name.bytes.withUnsafeBufferPointer { name in
                    if checkingRepeats {
                        let signature = Self.signature(name)
                        signatures[index] = signature
                        for earlier in 0..<index where signatures[earlier] == signature {
                            if base[earlier].name == field.pointee.name { return false }
                        }
                    }
                    return appendKey(name, repairing: false)
                }
                guard named else { return false }
                let valueStart = count
                if !shortForm(field) {
                    truncate(to: valueStart)
                    needsComma = false
                    longForm(field.pointee, named: false)
                }
            }
            endObject()
            return true
        }
    }

    /// Equal names have equal signatures (length, first and last eight bytes), so only names
    /// whose signatures match need comparing in full.
    private static func signature(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let length = UInt64(truncatingIfNeeded: name.count) << 56
        guard name.count >= 8, let base = name.baseAddress else {
            var short: UInt64 = 0
            for byte in name { short = short << 8 | UInt64(byte) }
            return short ^ length
        }
        let raw = UnsafeRawPointer(base)
        let head = raw.loadUnaligned(as: UInt64.self)
        let tail = raw.loadUnaligned(fromByteOffset: name.count - 8, as: UInt64.self)
        return head ^ (tail &* 0x9E37_79B9_7F4A_7C15) ^ length
    }

    /// The natural form: a bare value for one value, an array for several. False when the field
    /// needs the long form (what is written so far is then discarded by the caller).
    private mutating func shortForm(_ field: UnsafePointer<Field>) -> Bool {
        guard field.pointee.representation == nil else { return false }
        switch field.pointee.values {
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
        switch values.count {
        case 0: return false  // no type without the long form
        case 1: return write(&self, values[0])
        default:
            beginArray()
            for value in values where !write(&self, value) { return false }
            endArray()
            return true
        }
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
