/// Entry points of Runnel's TOML 1.0 parser. Every key and value it returns keeps the file,
/// line and column where it was written.
public enum TOML {
    /// Parses a TOML document. `fileName` is used in locations and errors.
    public static func parse(_ text: String, fileName: String = "<string>") throws(TOMLSyntaxError) -> ConfigTable {
        try parse(bytes: Array(text.utf8), fileName: fileName)
    }

    /// Parses a TOML document given as raw bytes (which must be UTF-8).
    public static func parse(bytes: [UInt8], fileName: String) throws(TOMLSyntaxError) -> ConfigTable {
        try parse(bytes: bytes, locator: SourceLocator(file: fileName, original: bytes))
    }

    /// Parses bytes produced by `%ENV` substitution; `locator` maps them back to the file.
    static func parse(bytes: [UInt8], locator: SourceLocator) throws(TOMLSyntaxError) -> ConfigTable {
        var parser = TOMLParser(bytes: bytes, locator: locator)
        return try parser.parseDocument()
    }
}
