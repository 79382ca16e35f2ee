/// Heka's field value types, with their protobuf enum numbers.
public enum FieldValueType: Int32, Sendable, CaseIterable {
    case string = 0
    case bytes = 1
    case integer = 2
    case double = 3
    case bool = 4

    public var name: String {
        switch self {
        case .string: "string"
        case .bytes: "bytes"
        case .integer: "integer"
        case .double: "double"
        case .bool: "bool"
        }
    }
}

/// The values of one field: an array of a single type (Heka allows several values per field).
public enum FieldValues: Sendable, Equatable {
    case string([ByteString])
    case bytes([ByteString])
    case integer([Int64])
    case double([Double])
    case bool([Bool])

    public var valueType: FieldValueType {
        switch self {
        case .string: .string
        case .bytes: .bytes
        case .integer: .integer
        case .double: .double
        case .bool: .bool
        }
    }

    public var count: Int {
        switch self {
        case .string(let values), .bytes(let values): values.count
        case .integer(let values): values.count
        case .double(let values): values.count
        case .bool(let values): values.count
        }
    }

    /// An empty array of the given type.
    public static func empty(_ type: FieldValueType) -> FieldValues {
        switch type {
        case .string: .string([])
        case .bytes: .bytes([])
        case .integer: .integer([])
        case .double: .double([])
        case .bool: .bool([])
        }
    }
}

/// One dynamic field of a message. Names may repeat within a message (`Fields[name][1]` is the
/// second field of that name).
public struct Field: Sendable, Equatable {
    public var name: ByteString
    /// Heka's free-form unit or format hint (`"count"`, `"date-time"`, `"B"`); nil when unset.
    public var representation: ByteString?
    public var values: FieldValues

    public init(name: ByteString, representation: ByteString? = nil, values: FieldValues) {
        self.name = name
        self.representation = representation
        self.values = values
    }

    public var valueType: FieldValueType { values.valueType }

    public static func string(_ name: ByteString, _ value: ByteString, representation: ByteString? = nil) -> Field {
        Field(name: name, representation: representation, values: .string([value]))
    }

    public static func bytes(_ name: ByteString, _ value: [UInt8], representation: ByteString? = nil) -> Field {
        Field(name: name, representation: representation, values: .bytes([ByteString(value)]))
    }

    public static func integer(_ name: ByteString, _ value: Int64, representation: ByteString? = nil) -> Field {
        Field(name: name, representation: representation, values: .integer([value]))
    }

    public static func double(_ name: ByteString, _ value: Double, representation: ByteString? = nil) -> Field {
        Field(name: name, representation: representation, values: .double([value]))
    }

    public static func bool(_ name: ByteString, _ value: Bool, representation: ByteString? = nil) -> Field {
        Field(name: name, representation: representation, values: .bool([value]))
    }
}
