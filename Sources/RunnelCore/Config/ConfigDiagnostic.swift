/// One problem found in a configuration, with where it is.
public struct ConfigDiagnostic: Sendable, CustomStringConvertible, Equatable {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var file: String
    /// 1-based; 0 when the problem concerns a whole file (unreadable, say).
    public var line: Int
    public var column: Int?
    /// The plugin section (or `runnel`/`hekad`) concerned, if any.
    public var section: String?
    /// The option concerned, if any; nested options are dotted (`buffering.full_action`).
    public var key: String?
    /// The full sentence shown to users; it names the file and line itself, e.g.
    /// `unknown option 'flush_cont' in [es] (plugins.toml:41)`.
    public var message: String
    /// What to do about it, e.g. `did you mean 'flush_count'?`.
    public var suggestion: String?

    public init(
        severity: Severity, file: String, line: Int, column: Int? = nil, section: String? = nil, key: String? = nil,
        message: String, suggestion: String? = nil
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.section = section
        self.key = key
        self.message = message
        self.suggestion = suggestion
    }

    init(_ severity: Severity, at location: FileLocation, section: String? = nil, key: String? = nil,
         _ message: String, suggestion: String? = nil) {
        self.init(severity: severity, file: location.file, line: location.line, column: location.column,
                  section: section, key: key, message: message, suggestion: suggestion)
    }

    /// `error: <message>; <suggestion>`, as `runnel check` prints it.
    public var description: String {
        "\(severity.rawValue): \(message)" + (suggestion.map { "; \($0)" } ?? "")
    }
}
