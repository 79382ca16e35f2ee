/// Why a JSON document was rejected, and where: `offset` is the 0-based byte offset into the input
/// of the first byte that is wrong (or the input length when it ended too early).
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
