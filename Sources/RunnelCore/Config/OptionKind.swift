/// The type of value an option accepts.
public indirect enum OptionKind: Sendable, Equatable {
    case string
    case integer
    /// A float; integers are accepted too.
    case double
    case bool
    /// Seconds as an integer or float, or a string of number-unit pairs such as `"250ms"`,
    /// `"1m30s"` (units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h`). Never negative.
    case duration
    /// Bytes as an integer, or a string such as `"64MiB"`, `"1.5 GB"` (units `B`, `KiB`/`K`,
    /// `MiB`/`M`, `GiB`/`G`, `TiB`/`T` in powers of 1024 and `KB`, `MB`, `GB`, `TB` in powers of
    /// 1000, case-insensitive). Never negative.
    case byteSize
    case array(OptionKind)
    /// A table whose values are all strings, e.g. `[X.field_mappings]`.
    case stringMap
    /// A sub-table with its own options, e.g. `[X.buffering]`.
    case table([OptionSpec])
    /// A message_matcher expression: a string the loader checks with the matcher, when given one.
    case messageMatcher
    case any

    /// "a string", "an array of strings", … for messages and the reference docs.
    public var phrase: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .duration: return "a duration (seconds, or a string such as \"250ms\" or \"1m30s\")"
        case .byteSize: return "a byte size (bytes, or a string such as \"64MiB\")"
        case .array(let element): return "an array of " + element.pluralNoun
        case .stringMap: return "a table of strings"
        case .table: return "a table"
        case .messageMatcher: return "a message matcher expression (a string)"
        case .any: return "any value"
        }
    }

    /// Short name for tables of options: "string", "array of strings", "duration", …
    public var shortName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .double: return "number"
        case .bool: return "boolean"
        case .duration: return "duration"
        case .byteSize: return "byte size"
        case .array(let element): return "array of " + element.pluralNoun
        case .stringMap: return "table of strings"
        case .table: return "table"
        case .messageMatcher: return "matcher"
        case .any: return "any"
        }
    }

    private var pluralNoun: String {
        switch self {
        case .string: return "strings"
        case .integer: return "integers"
        case .double: return "numbers"
        case .bool: return "booleans"
        case .duration: return "durations"
        case .byteSize: return "byte sizes"
        case .array(let element): return "arrays of " + element.pluralNoun
        case .stringMap: return "tables of strings"
        case .table: return "tables"
        case .messageMatcher: return "matchers"
        case .any: return "values"
        }
    }
}
