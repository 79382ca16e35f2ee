import RunnelCore

/// Lenient reads of Docker's JSON: a missing or mistyped member reads as nil, never a trap.
extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var int64Value: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value) where value.isFinite && abs(value) < 9.2e18: return Int64(value)
        default: return nil
        }
    }

    /// Unsigned counters Docker sends may exceed Int64 in theory; those read as nil.
    var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var members: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// An object of strings (labels, attributes); non-string values are left out.
    var stringDictionary: [String: String] {
        var result: [String: String] = [:]
        for member in members ?? [] {
            if let text = member.value.stringValue { result[member.key] = text }
        }
        return result
    }

    subscript(path: String...) -> JSONValue? {
        var value: JSONValue? = self
        for key in path { value = value?[key] }
        return value
    }
}
