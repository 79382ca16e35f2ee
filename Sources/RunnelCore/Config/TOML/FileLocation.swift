/// A place in a configuration file, as shown to users: 1-based line and column, the column
/// counted in characters (Unicode scalars), not bytes.
public struct FileLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }

    /// `file:line`, the short form used inside sentences ("in [es] (plugins.toml:41)").
    public var fileAndLine: String { "\(file):\(line)" }
}
