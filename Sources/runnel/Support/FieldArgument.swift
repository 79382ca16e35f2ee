import RunnelCore

/// A `--field` argument of `runnel inject`: `name=value` (a string), or `name:TYPE=value` with
/// TYPE one of string, bytes, int, double, bool.
struct FieldArgument {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    let field: Field

    init(_ argument: String) throws(Invalid) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw Invalid(description: "--field '\(argument)': expected name=value or name:TYPE=value")
        }
        var name = String(argument[..<equals])
        let value = String(argument[argument.index(after: equals)...])
        var type = "string"
        if let colon = name.lastIndex(of: ":"), Self.types.contains(String(name[name.index(after: colon)...])) {
            type = String(name[name.index(after: colon)...])
            name = String(name[..<colon])
        }
        guard !name.isEmpty else { throw Invalid(description: "--field '\(argument)': the name is empty") }
        let fieldName = ByteString(name)
        switch type {
        case "int", "integer":
            guard let number = Int64(value) else { throw Invalid(description: "--field '\(argument)': '\(value)' is not an integer") }
            field = .integer(fieldName, number)
        case "double", "float":
            guard let number = Double(value), number.isFinite else {
                throw Invalid(description: "--field '\(argument)': '\(value)' is not a finite number")
            }
            field = .double(fieldName, number)
        case "bool":
            guard let flag = Bool(value) else { throw Invalid(description: "--field '\(argument)': '\(value)' is not true or false") }
            field = .bool(fieldName, flag)
        case "bytes":
            field = .bytes(fieldName, Array(value.utf8))
        default:
            field = .string(fieldName, ByteString(value))
        }
    }

    static let types: Set<String> = ["string", "bytes", "int", "integer", "double", "float", "bool"]
}
