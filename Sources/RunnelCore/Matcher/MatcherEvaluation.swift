/// Evaluation of a compiled program against one message. No allocation except where a regex needs
/// its per-thread match data the first time on a thread.
extension MatcherProgram {
    func evaluate(_ message: Message) -> Bool {
        switch self {
        case .constant(let value):
            return value
        case .test(let test):
            return test.evaluate(message)
        case .all(let parts):
            for part in parts where !part.evaluate(message) { return false }
            return true
        case .any(let parts):
            for part in parts where part.evaluate(message) { return true }
            return false
        }
    }
}

extension MatcherTest {
    func evaluate(_ message: Message) -> Bool {
        switch self {
        case .text(let header, let predicate):
            return header.withValue(of: message) { predicate.evaluate($0) }
        case .uuidEquals(let expected, let negated):
            return (message.uuid == expected) != negated
        case .number(let header, let predicate):
            return predicate.evaluate(header.value(of: message))
        case .field(let selector, let predicate):
            return selector.evaluate(predicate, on: message)
        }
    }
}

extension TextHeader {
    @inline(__always)
    func withValue(of message: Message, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        let value: ByteString?
        switch self {
        case .uuid: return Self.withUUIDText(message.uuid, body)
        case .type: value = message.type
        case .logger: value = message.logger
        case .payload: value = message.payload
        case .envVersion: value = message.envVersion
        case .hostname: value = message.hostname
        }
        guard let value else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return value.bytes.withUnsafeBufferPointer(body)
    }

    /// The uuid in Heka's string form (`%08x-%04x-%04x-%04x-%012x`, lower case) on the stack;
    /// empty when unset.
    private static func withUUIDText(_ uuid: MessageUUID?, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard let uuid else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? uuid.high : uuid.low
                let shift = UInt64(60 - 4 * (nibble % 16))
                text[position] = digits.utf8Start[Int((word >> shift) & 0xF)]
                position += 1
            }
            return body(UnsafeBufferPointer(text))
        }
    }
}

extension NumericHeader {
    @inline(__always)
    func value(of message: Message) -> Int64 {
        switch self {
        case .timestamp: message.timestamp
        case .severity: Int64(message.effectiveSeverity)
        case .pid: Int64(message.pid ?? 0)
        }
    }
}

extension FieldSelector {
    func evaluate(_ predicate: FieldPredicate, on message: Message) -> Bool {
        guard let fieldPosition = position(in: message.fields) else { return predicate.isTrueWhenMissing }
        let values = message.fields[fieldPosition].values
        guard arrayIndex < values.count else { return predicate.isTrueWhenMissing }
        switch (predicate, values) {
        case (.present(let expected), _):
            return expected
        case (.bytes(let test), .string(let strings)), (.bytes(let test), .bytes(let strings)):
            return strings[arrayIndex].bytes.withUnsafeBufferPointer { test.evaluate($0) }
        case (.number(let test), .integer(let integers)):
            return test.evaluate(integers[arrayIndex])
        case (.number(let test), .double(let doubles)):
            return test.evaluate(doubles[arrayIndex])
        case (.bool(let expected, let negated), .bool(let booleans)):
            return (booleans[arrayIndex] == expected) != negated
        default:
            return false
        }
    }

    /// Index in `fields` of the `fieldIndex`-th field called `name`.
    private func position(in fields: [Field]) -> Int? {
        var seen = 0
        for index in fields.indices where ByteComparison.equal(fields[index].name.bytes, name) {
            if seen == fieldIndex { return index }
            seen += 1
        }
        return nil
    }
}

extension FieldPredicate {
    var isTrueWhenMissing: Bool {
        if case .present(false) = self { return true }
        return false
    }
}
