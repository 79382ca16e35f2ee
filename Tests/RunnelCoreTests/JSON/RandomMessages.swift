@testable import RunnelCore

/// Seeded random messages that reach every corner of the JSON shape: every value type, empty and
/// multi-value arrays, representations, repeated names, NaN (with payloads), infinities, -0.0,
/// and invalid UTF-8, NUL and control bytes in every string position, nil vs empty headers.
struct RandomMessages {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func message() -> Message {
        var message = Message()
        if chance(0.7) { message.uuid = MessageUUID(high: generator.next(), low: generator.next()) }
        message.timestamp = pick([0, 1, -1, .max, .min, Int64.random(in: .min ... .max, using: &generator)])
        message.type = optionalText()
        message.logger = optionalText()
        if chance(0.5) { message.severity = pick([0, 7, -1, .max, .min, Int32.random(in: .min ... .max, using: &generator)]) }
        message.payload = optionalText(maxLength: 300)
        message.envVersion = optionalText()
        if chance(0.5) { message.pid = Int32.random(in: .min ... .max, using: &generator) }
        message.hostname = optionalText()
        let names = (0..<Int.random(in: 1...6, using: &generator)).map { _ in text(maxLength: 8) }
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            message.fields.append(field(named: pick(names)))
        }
        return message
    }

    private mutating func field(named name: ByteString) -> Field {
        let count = pick([0, 1, 1, 1, 2, 3, 5])
        let values: FieldValues
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: values = .string((0..<count).map { _ in text() })
        case 1: values = .bytes((0..<count).map { _ in ByteString(randomBytes(maxLength: 12)) })
        case 2: values = .integer((0..<count).map { _ in pick([0, -1, .max, .min, Int64.random(in: .min ... .max, using: &generator)]) })
        case 3: values = .double((0..<count).map { _ in double() })
        default: values = .bool((0..<count).map { _ in Bool.random(using: &generator) })
        }
        return Field(name: name, representation: chance(0.2) ? text(maxLength: 6) : nil, values: values)
    }

    private mutating func double() -> Double {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return pick([.nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude, .greatestFiniteMagnitude])
        case 1: return Double(bitPattern: 0x7FF0_0000_0000_0000 | generator.next())  // NaNs with payloads, ±inf
        case 2: return Double(bitPattern: generator.next())  // any bit pattern
        case 3: return Double(Int64.random(in: -1_000_000...1_000_000, using: &generator))
        default: return Double.random(in: -1e6...1e6, using: &generator)
        }
    }

    private mutating func optionalText(maxLength: Int = 16) -> ByteString? {
        chance(0.3) ? nil : text(maxLength: maxLength)
    }

    /// Usually readable text, sometimes with escapes, NUL, DEL, multi-byte UTF-8 or invalid bytes.
    private mutating func text(maxLength: Int = 16) -> ByteString {
        if chance(0.25) { return ByteString(randomBytes(maxLength: maxLength)) }
        let pieces: [[UInt8]] = [
            Array("abc".utf8), Array("Z9".utf8), [0x22], [0x5C], [0x2F], [0x00], [0x0A], [0x1F], [0x7F],
            Array("é".utf8), Array("日本".utf8), Array("🎉".utf8), [0xFF], [0xC3], [0xED, 0xA0, 0x80],
        ]
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...(maxLength / 2), using: &generator) { bytes += pick(pieces) }
        return ByteString(bytes)
    }

    private mutating func randomBytes(maxLength: Int) -> [UInt8] {
        (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    private mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &generator) < probability
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int.random(in: 0..<choices.count, using: &generator)]
    }
}
