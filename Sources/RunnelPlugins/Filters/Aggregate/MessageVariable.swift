import RunnelCore

/// A message value named as matcher expressions name it: a header (`Type`, `Logger`, `Hostname`,
/// `Payload`, `EnvVersion`, `Severity`, `Pid`, `Uuid`, `Timestamp`) or a field (`Fields[name]`,
/// `Fields[name][fi]`, `Fields[name][fi][ai]`; missing indices are 0). Any other bare word names
/// the field of that name, so `distinct = ["ContainerID"]` reads `Fields[ContainerID]`.
public enum MessageVariable: Sendable, Equatable {
    case type, logger, hostname, payload, envVersion, severity, pid, uuid, timestamp
    case field(name: ByteString, fieldIndex: Int, arrayIndex: Int)

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "'\(text)': \(reason)" }
    }

    private static let headers: [String: MessageVariable] = [
        "Type": .type, "Logger": .logger, "Hostname": .hostname, "Payload": .payload,
        "EnvVersion": .envVersion, "Severity": .severity, "Pid": .pid, "Uuid": .uuid, "Timestamp": .timestamp,
    ]

    public init(parsing text: String) throws(SyntaxError) {
        if let header = Self.headers[text] {
            self = header
            return
        }
        guard text.hasPrefix("Fields[") else {
            guard !text.isEmpty, !text.contains("[") else {
                throw SyntaxError(text: text, reason: "expected a header name, a field name or 'Fields[name]'")
            }
            self = .field(name: ByteString(text), fieldIndex: 0, arrayIndex: 0)
            return
        }
        // Fields[name] then up to two [index] parts; the name itself may not hold ']'.
        var rest = Substring(text.dropFirst("Fields[".count))
        guard let close = rest.firstIndex(of: "]"), close != rest.startIndex else {
            throw SyntaxError(text: text, reason: "expected 'Fields[name]' with a non-empty name")
        }
        let name = ByteString(String(rest[..<close]))
        rest = rest[rest.index(after: close)...]
        var indices: [Int] = []
        while !rest.isEmpty {
            guard rest.first == "[", let end = rest.firstIndex(of: "]"),
                  let index = Int(rest[rest.index(after: rest.startIndex)..<end]), index >= 0 else {
                throw SyntaxError(text: text, reason: "expected '[n]' with a non-negative index after the field name")
            }
            indices.append(index)
            rest = rest[rest.index(after: end)...]
        }
        guard indices.count <= 2 else {
            throw SyntaxError(text: text, reason: "at most two indices: Fields[name][field index][array index]")
        }
        self = .field(name: name, fieldIndex: indices.first ?? 0, arrayIndex: indices.count > 1 ? indices[1] : 0)
    }

    /// The name the emitted message uses: the field's own name, or the header's.
    public var outputName: String {
        switch self {
        case .field(let name, _, _): name.string
        default: Self.headers.first { $0.value == self }?.key ?? ""
        }
    }

    /// The value as text, for grouping and distinct counting; nil when the message lacks it.
    public func text(of message: Message) -> ByteString? {
        switch self {
        case .type: return message.type
        case .logger: return message.logger
        case .hostname: return message.hostname
        case .payload: return message.payload
        case .envVersion: return message.envVersion
        case .severity: return ByteString(String(message.effectiveSeverity))
        case .pid: return message.pid.map { ByteString(String($0)) }
        case .uuid: return message.uuid.map { ByteString($0.string) }
        case .timestamp: return ByteString(String(message.timestamp))
        case .field(let name, let fieldIndex, let arrayIndex):
            guard let position = Self.position(of: name, occurrence: fieldIndex, in: message) else { return nil }
            switch message.fields[position].values {
            case .string(let texts), .bytes(let texts):
                return arrayIndex < texts.count ? texts[arrayIndex] : nil
            case .integer(let numbers):
                return arrayIndex < numbers.count ? ByteString(String(numbers[arrayIndex])) : nil
            case .double(let numbers):
                return arrayIndex < numbers.count ? ByteString(String(numbers[arrayIndex])) : nil
            case .bool(let flags):
                return arrayIndex < flags.count ? ByteString(String(flags[arrayIndex])) : nil
            }
        }
    }

    /// The value as a number, for aggregation: integer and double fields, `Severity`, `Pid` and
    /// `Timestamp`. nil for text, booleans, a missing value, NaN and infinities (which would
    /// poison every sum and bound of the interval).
    @inline(__always)
    public func number(of message: Message) -> Double? {
        switch self {
        case .severity: return Double(message.effectiveSeverity)
        case .pid: return message.pid.map(Double.init)
        case .timestamp: return Double(message.timestamp)
        case .field(let name, let fieldIndex, let arrayIndex):
            guard let position = Self.position(of: name, occurrence: fieldIndex, in: message) else { return nil }
            switch message.fields[position].values {
            case .integer(let numbers):
                return arrayIndex < numbers.count ? Double(numbers[arrayIndex]) : nil
            case .double(let numbers):
                guard arrayIndex < numbers.count, numbers[arrayIndex].isFinite else { return nil }
                return numbers[arrayIndex]
            case .string, .bytes, .bool:
                return nil
            }
        case .type, .logger, .hostname, .payload, .envVersion, .uuid:
            return nil
        }
    }

    /// Where the `occurrence`-th field named `name` is, found without copying any field (what
    /// `Message.field(named:)` returns costs retains and releases on this hot path); lengths are
    /// compared before bytes, so most names are rejected without a call.
    @inline(__always)
    static func position(of name: ByteString, occurrence: Int, in message: Message) -> Int? {
        let length = name.count
        var seen = 0
        for position in message.fields.indices {
            guard message.fields[position].name.count == length, message.fields[position].name == name else { continue }
            if seen == occurrence { return position }
            seen += 1
        }
        return nil
    }

    /// Whether `number(of:)` can ever return a value.
    public var isNumeric: Bool {
        switch self {
        case .severity, .pid, .timestamp, .field: true
        case .type, .logger, .hostname, .payload, .envVersion, .uuid: false
        }
    }
}
