/// Links a `MatcherProgram` into nested closures, the form `MessageMatcher.matches` runs.
///
/// Why closures and not a `switch` over the program: every `switch` that binds an enum payload
/// (a literal's bytes, a regex object) copies it, which costs a retain and a release per test per
/// message; that was most of the time of a simple `Type == 'TEST'`. A closure's captures are read in
/// place. Each test becomes one closure specialised for its variable and comparison.
typealias MessagePredicate = @Sendable (Message) -> Bool
typealias BytesPredicate = @Sendable (UnsafeBufferPointer<UInt8>) -> Bool

extension MatcherProgram {
    func makePredicate() -> MessagePredicate {
        switch self {
        case .constant(let value):
            return { _ in value }
        case .test(let test):
            return test.makePredicate()
        case .all(let parts):
            return Self.chain(parts[...], all: true)
        case .any(let parts):
            return Self.chain(parts[...], all: false)
        }
    }

    /// A balanced tree of two-way `&&`/`||` closures: short-circuits left to right like the chain,
    /// and a chain of thousands of terms nests only log2(n) deep. Built straight from the program
    /// parts: closures kept in an array come back out wrapped in reabstraction thunks that copy
    /// the message.
    private static func chain(_ parts: ArraySlice<MatcherProgram>, all: Bool) -> MessagePredicate {
        if parts.count == 1, let only = parts.first { return only.makePredicate() }
        if parts.isEmpty { return { _ in all } }
        let middle = parts.startIndex + parts.count / 2
        let left = chain(parts[..<middle], all: all)
        let right = chain(parts[middle...], all: all)
        if all { return { message in left(message) && right(message) } }
        return { message in left(message) || right(message) }
    }
}

extension MatcherTest {
    func makePredicate() -> MessagePredicate {
        switch self {
        case .text(let header, let predicate):
            return header.makePredicate(predicate.makePredicate())
        case .uuidEquals(let expected, let negated):
            return { ($0.uuid == expected) != negated }
        case .number(let header, let predicate):
            switch header {
            case .timestamp: return { predicate.evaluate($0.timestamp) }
            case .severity: return { predicate.evaluate(Int64($0.effectiveSeverity)) }
            case .pid: return { predicate.evaluate(Int64($0.pid ?? 0)) }
            }
        case .field(let selector, let predicate):
            return selector.makePredicate(predicate)
        }
    }
}

extension TextHeader {
    func makePredicate(_ test: @escaping BytesPredicate) -> MessagePredicate {
        switch self {
        case .uuid: return { Self.withUUIDText($0.uuid, test) }
        case .type: return { Self.withBytes($0.type, test) }
        case .logger: return { Self.withBytes($0.logger, test) }
        case .payload: return { Self.withBytes($0.payload, test) }
        case .envVersion: return { Self.withBytes($0.envVersion, test) }
        case .hostname: return { Self.withBytes($0.hostname, test) }
        }
    }

    /// An unset header reads as the empty string.
    @inline(__always)
    private static func withBytes(_ value: ByteString?, _ test: BytesPredicate) -> Bool {
        guard let value else { return test(UnsafeBufferPointer(start: nil, count: 0)) }
        return value.bytes.withUnsafeBufferPointer(test)
    }

    /// The uuid in Heka's string form (`%08x-%04x-%04x-%04x-%012x`, lower case), built on the stack;
    /// empty when unset.
    private static func withUUIDText(_ uuid: MessageUUID?, _ test: BytesPredicate) -> Bool {
        guard let uuid else { return test(UnsafeBufferPointer(start: nil, count: 0)) }
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
            return test(UnsafeBufferPointer(text))
        }
    }
}

extension FieldSelector {
    /// A missing field or value is false for every test but `== NIL`; a value of a type the test
    /// does not apply to is false.
    func makePredicate(_ predicate: FieldPredicate) -> MessagePredicate {
        let selector = self
        switch predicate {
        case .present(let expected):
            return { message in
                guard let position = selector.position(in: message.fields) else { return !expected }
                return (selector.arrayIndex < message.fields[position].values.count) == expected
            }
        case .bytes(let byteTest):
            let test = byteTest.makePredicate()
            return { message in
                guard let position = selector.position(in: message.fields) else { return false }
                switch message.fields[position].values {
                case .string(let values), .bytes(let values):
                    guard selector.arrayIndex < values.count else { return false }
                    return values[selector.arrayIndex].bytes.withUnsafeBufferPointer(test)
                default:
                    return false
                }
            }
        case .number(let test):
            return { message in
                guard let position = selector.position(in: message.fields) else { return false }
                switch message.fields[position].values {
                case .integer(let values):
                    return selector.arrayIndex < values.count && test.evaluate(values[selector.arrayIndex])
                case .double(let values):
                    return selector.arrayIndex < values.count && test.evaluate(values[selector.arrayIndex])
                default:
                    return false
                }
            }
        case .bool(let expected, let negated):
            return { message in
                guard let position = selector.position(in: message.fields),
                      case .bool(let values) = message.fields[position].values,
                      selector.arrayIndex < values.count else { return false }
                return (values[selector.arrayIndex] == expected) != negated
            }
        }
    }

    /// Index in `fields` of the `fieldIndex`-th field called `name`.
    @inline(__always)
    func position(in fields: [Field]) -> Int? {
        var seen = 0
        return name.withUnsafeBufferPointer { name in
            fields.withUnsafeBufferPointer { fields in
                for index in fields.indices where ByteComparison.equal(name, fields[index].name.bytes) {
                    if seen == fieldIndex { return index }
                    seen += 1
                }
                return nil
            }
        }
    }
}
