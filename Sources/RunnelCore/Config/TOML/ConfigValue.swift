/// A configuration value: a TOML value plus where it was written and whether it holds a secret.
///
/// Two values are equal when their contents are; where they were written does not matter, so
/// `plugin.options["flush_count"] == 1000` reads naturally in code and tests.
public struct ConfigValue: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case double(Double)
        case bool(Bool)
        case dateTime(TOMLDateTime)
        case array([ConfigValue])
        case table(ConfigTable)
    }

    public var content: Content
    /// Where the value starts in its file; nil for defaults filled in from a schema.
    public var location: FileLocation?
    /// The environment variable when any part of this value was substituted from `%ENV[NAME]`.
    /// Such a value is a secret: its `description` shows `<from %ENV[NAME]>` instead of the text.
    public var secretVariable: String?

    public init(_ content: Content, location: FileLocation? = nil, secretVariable: String? = nil) {
        self.content = content
        self.location = location
        self.secretVariable = secretVariable
    }

    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool { lhs.content == rhs.content }

    public static func string(_ value: String) -> ConfigValue { ConfigValue(.string(value)) }
    public static func integer(_ value: Int64) -> ConfigValue { ConfigValue(.integer(value)) }
    public static func double(_ value: Double) -> ConfigValue { ConfigValue(.double(value)) }
    public static func bool(_ value: Bool) -> ConfigValue { ConfigValue(.bool(value)) }
    public static func array(_ values: [ConfigValue]) -> ConfigValue { ConfigValue(.array(values)) }
    public static func table(_ table: ConfigTable) -> ConfigValue { ConfigValue(.table(table)) }

    public var stringValue: String? {
        if case .string(let value) = content { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = content { return value }
        return nil
    }

    /// A double, or an integer read as a double.
    public var doubleValue: Double? {
        switch content {
        case .double(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = content { return value }
        return nil
    }

    public var dateTimeValue: TOMLDateTime? {
        if case .dateTime(let value) = content { return value }
        return nil
    }

    public var arrayValue: [ConfigValue]? {
        if case .array(let value) = content { return value }
        return nil
    }

    public var tableValue: ConfigTable? {
        if case .table(let value) = content { return value }
        return nil
    }

    /// True when this value or anything inside it came from the environment.
    public var containsSecret: Bool {
        if secretVariable != nil { return true }
        switch content {
        case .array(let values): return values.contains { $0.containsSecret }
        case .table(let table): return table.entries.contains { $0.value.containsSecret }
        default: return false
        }
    }

    /// "a string", "an integer", … for messages.
    public var kindDescription: String {
        switch content {
        case .string: return "a string"
        case .integer: return "an integer"
        case .double: return "a float"
        case .bool: return "a boolean"
        case .dateTime: return "a date-time"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

extension ConfigValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self.init(.string(value)) }
    public init(integerLiteral value: Int64) { self.init(.integer(value)) }
    public init(floatLiteral value: Double) { self.init(.double(value)) }
    public init(booleanLiteral value: Bool) { self.init(.bool(value)) }
    public init(arrayLiteral elements: ConfigValue...) { self.init(.array(elements)) }
}
