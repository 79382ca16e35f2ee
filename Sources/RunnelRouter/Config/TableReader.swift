import RunnelCore

/// Reads one TOML table of `router.toml`: typed values, problems reported with file, line, section
/// and key, and keys nobody asked for reported as unknown (with a suggestion) by `finish()`.
struct TableReader {
    let table: ConfigTable
    let section: String
    let file: String
    /// Where the table itself was written, for problems that concern a missing key.
    let location: FileLocation?
    private(set) var readKeys: Set<String> = []
    var diagnostics: [ConfigDiagnostic] = []

    init(_ table: ConfigTable, section: String, file: String, location: FileLocation? = nil) {
        self.table = table
        self.section = section
        self.file = file
        self.location = location
    }

    mutating func value(_ key: String) -> ConfigValue? {
        readKeys.insert(key)
        return table[key]
    }

    mutating func string(_ key: String) -> String? { typed(key, "a string") { $0.stringValue } }

    mutating func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(key) else { return nil }
        // Written with `report` rather than the generic `problem`: the latter here crashed the
        // Swift 6.3 optimizer (CopyPropagation ownership verification) in release builds.
        guard case .integer(let wide) = value.content, let number = Int(exactly: wide) else {
            report(key, value, "'\(key)' must be an integer, not \(value.kindDescription)")
            return nil
        }
        if !range.contains(number) {
            report(key, value, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? { typed(key, "a boolean") { $0.boolValue } }

    mutating func duration(_ key: String) -> Duration? {
        typed(key, "a duration (seconds, or a string such as \"250ms\" or \"1m30s\")") { $0.durationValue }
    }

    mutating func byteSize(_ key: String) -> Int? {
        typed(key, "a byte size (bytes, or a string such as \"64KiB\")") { $0.byteSizeValue }
    }

    mutating func table(_ key: String) -> ConfigTable? { typed(key, "a table") { $0.tableValue } }

    mutating func array(_ key: String) -> [ConfigValue]? { typed(key, "an array") { $0.arrayValue } }

    /// The value of `key` converted, nil when absent, and a reported problem when it is not `expected`.
    private mutating func typed<T>(_ key: String, _ expected: String, _ convert: (ConfigValue) -> T?) -> T? {
        guard let value = value(key) else { return nil }
        guard let converted = convert(value) else {
            report(key, value, "'\(key)' must be \(expected), not \(value.kindDescription)")
            return nil
        }
        return converted
    }

    mutating func address(_ key: String) -> BindAddress? {
        guard let text = string(key) else { return nil }
        guard let address = BindAddress.parse(text) else {
            return problem(key, table[key], "'\(key)' must be host:port, not '\(text)'")
        }
        return address
    }

    /// A reader for a nested table, named `section.key` in messages.
    func nested(_ table: ConfigTable, key: String, at location: FileLocation?) -> TableReader {
        TableReader(table, section: section + "." + key, file: file, location: location ?? self.location)
    }

    /// Reports every key that was never read, suggesting the closest known one.
    mutating func finish(known: [String]) {
        for entry in table.entries where !readKeys.contains(entry.key) {
            let place = entry.keyLocation ?? location
            diagnostics.append(ConfigDiagnostic(
                severity: .error, file: place?.file ?? file, line: place?.line ?? 0, column: place?.column,
                section: section, key: entry.key,
                message: "unknown option '\(entry.key)' in [\(section)] (\(Self.place(place, file)))",
                suggestion: DidYouMean.suggestion(for: entry.key, among: known)))
        }
    }

    mutating func problem<T>(_ key: String, _ value: ConfigValue?, _ message: String) -> T? {
        report(key, value, message)
        return nil
    }

    mutating func report(_ key: String, _ value: ConfigValue?, _ message: String) {
        let place = value?.location ?? table.entry(key)?.keyLocation ?? location
        diagnostics.append(ConfigDiagnostic(
            severity: .error, file: place?.file ?? file, line: place?.line ?? 0, column: place?.column,
            section: section, key: key, message: "\(message) in [\(section)] (\(Self.place(place, file)))"))
    }

    static func place(_ location: FileLocation?, _ file: String) -> String {
        location.map(\.fileAndLine) ?? file
    }
}
