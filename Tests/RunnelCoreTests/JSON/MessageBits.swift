@testable import RunnelCore

/// A message compared bit for bit: `Message ==` follows IEEE, where NaN differs from itself, so
/// round-trip tests compare doubles by their bit patterns (payload and sign included).
struct MessageBits: Equatable, CustomStringConvertible {
    let message: Message

    init(_ message: Message) { self.message = message }

    static func == (lhs: MessageBits, rhs: MessageBits) -> Bool {
        normalized(lhs.message) == normalized(rhs.message)
    }

    /// Doubles replaced by integers carrying their bit patterns, so plain equality is exact.
    private static func normalized(_ message: Message) -> Message {
        var copy = message
        copy.fields = message.fields.map { field in
            guard case .double(let values) = field.values else { return field }
            var exact = field
            exact.values = .integer(values.map { Int64(bitPattern: $0.bitPattern) })
            exact.name = ByteString(field.name.bytes + [0xFF, 0xD0])  // keep it apart from real integers
            return exact
        }
        return copy
    }

    var description: String { String(describing: message) }
}
