/// Why `MessageJSON.decode` rejected its input: the 0-based byte offset of the offending byte or
/// value, and what is wrong there (JSON syntax or the message shape).
public struct MessageJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid message JSON at byte \(offset): \(reason)" }
}
