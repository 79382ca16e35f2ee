/// A TOML syntax error: what is wrong and exactly where.
public struct TOMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: FileLocation
    /// Offset of the error in the parsed bytes (after `%ENV` substitution).
    var parsedOffset: Int
    /// The bytes of the parsed text that `message` quotes, so a caller can tell whether the
    /// message would reveal substituted secret text. Every message that shows input text sets
    /// it; messages without it show only positions and names of keys (which cannot be secret).
    var quotedRange: Range<Int>?

    init(message: String, location: FileLocation, parsedOffset: Int, quotedRange: Range<Int>? = nil) {
        self.message = message
        self.location = location
        self.parsedOffset = parsedOffset
        self.quotedRange = quotedRange
    }

    /// `file:line:column: message`.
    public var description: String { "\(location): \(message)" }
}
