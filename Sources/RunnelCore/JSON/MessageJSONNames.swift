/// The top-level keys of a message in JSON, in the order they are written (Heka's field order).
enum MessageHeaderKey: Int, CaseIterable {
    case uuid, timestamp, type, logger, severity, payload, envVersion, pid, hostname, fields

    var name: StaticString {
        switch self {
        case .uuid: "Uuid"
        case .timestamp: "Timestamp"
        case .type: "Type"
        case .logger: "Logger"
        case .severity: "Severity"
        case .payload: "Payload"
        case .envVersion: "EnvVersion"
        case .pid: "Pid"
        case .hostname: "Hostname"
        case .fields: "Fields"
        }
    }

    var jsonKey: JSONKey { Self.jsonKeys[rawValue] }

    private static let jsonKeys = allCases.map { JSONKey($0.name.description) }

    static let list = allCases.map { $0.name.description }.joined(separator: ", ")
}

/// The keys of a field's long form, and of the object that carries bytes that are not UTF-8.
enum LongFormKey: Int, CaseIterable {
    case name, type, representation, value

    var name: StaticString {
        switch self {
        case .name: "name"
        case .type: "type"
        case .representation: "representation"
        case .value: "value"
        }
    }

    var jsonKey: JSONKey { Self.jsonKeys[rawValue] }

    private static let jsonKeys = allCases.map { JSONKey($0.name.description) }

    static let base64 = JSONKey("base64")
}

/// Non-finite doubles in a long form's `value`: JSON has no literal for them.
enum NonFiniteDoubleName {
    static let nan = "NaN"
    /// Followed by the 16 hex digits of the bit pattern, for any NaN other than `Double.nan`.
    static let nanWithBitsPrefix = "NaN:"
    static let infinity = "Infinity"
    static let negativeInfinity = "-Infinity"
}

extension FieldValueType {
    /// The type a long form's `"type"` names (`FieldValueType.name`: `"string"`, `"bytes"`, …).
    static func named(_ name: [UInt8]) -> FieldValueType? {
        allCases.first { $0.name.utf8.elementsEqual(name) }
    }

    static let nameList = allCases.map(\.name).joined(separator: ", ")
}
