/// Why a message head or body framing could not be read: the offset of the offending byte within
/// the head (or the bytes being framed) and what was wrong with it.
struct HeadError: Error, Equatable, CustomStringConvertible {
    var offset: Int
    var message: String

    var description: String { "\(message) at byte \(offset)" }
}
