/// A string with `%{…}` placeholders filled from each message (file paths, Kafka topics,
/// Elasticsearch indices), parsed once and rendered allocation-light per message.
///
/// Placeholders: header variables `%{Type}`, `%{Logger}`, `%{Hostname}`, `%{Payload}`,
/// `%{EnvVersion}`, `%{Severity}`, `%{Pid}`, `%{Uuid}`, `%{Timestamp}`; `%{Fields[name]}` or a bare
/// `%{name}` for a field's first value; `%{%Y.%m.%d}` for strftime codes on the message's timestamp
/// (UTC). `%%` is not special outside braces. A missing field renders as its `missing` text.
public struct InterpolatedTemplate: Sendable, Equatable {
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public let template: String
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) at offset \(offset) in '\(template)'" }
    }

    enum Part: Sendable, Equatable {
        case literal([UInt8])
        case header(HeaderVariable)
        case field(ByteString)
        case time([TimeCode])
    }

    enum HeaderVariable: String, Sendable, CaseIterable {
        case type = "Type", logger = "Logger", hostname = "Hostname", payload = "Payload"
        case envVersion = "EnvVersion", severity = "Severity", pid = "Pid", uuid = "Uuid", timestamp = "Timestamp"
    }

    enum TimeCode: Sendable, Equatable {
        case literal([UInt8])
        case year, shortYear, month, day, hour, minute, second, dayOfYear, monthName, weekdayName, unixSeconds
    }

    public let template: String
    let parts: [Part]
    /// What a placeholder renders as when the message lacks the value.
    public var missing: [UInt8]

    public init(_ template: String, missing: String = "") throws(SyntaxError) {
        self.template = template
        self.missing = Array(missing.utf8)
        self.parts = try Self.parse(template)
    }

    /// True when the template has no placeholders (the rendered value never changes).
    public var isConstant: Bool {
        parts.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// True when rendering depends on the message's time only through `%{%…}` codes.
    public var usesTime: Bool { parts.contains { if case .time = $0 { true } else { false } } }

    public func render(_ message: Message) -> [UInt8] {
        var out: [UInt8] = []
        render(message, into: &out)
        return out
    }

    /// Appends the rendering; `transform` rewrites each substituted value (not the literals), e.g.
    /// to make a value legal in a topic or path.
    public func render(_ message: Message, into out: inout [UInt8], transform: (([UInt8]) -> [UInt8])? = nil) {
        render(message, timeNanoseconds: message.timestamp, into: &out, transform: transform)
    }

    /// Appends the rendering with time codes taken from `timeNanoseconds` instead of the message's
    /// timestamp (Elasticsearch index names follow the wall clock unless told otherwise).
    public func render(_ message: Message, timeNanoseconds: Int64, into out: inout [UInt8],
                       transform: (([UInt8]) -> [UInt8])? = nil) {
        for part in parts {
            switch part {
            case .literal(let bytes):
                out += bytes
            case .header(let variable):
                if transform == nil && Self.appendNumber(variable, of: message, to: &out) { continue }
                let value = Self.headerValue(variable, of: message) ?? missing
                out += transform.map { $0(value) } ?? value
            case .field(let name):
                let value = message.field(named: name).flatMap(Self.firstValueText) ?? missing
                out += transform.map { $0(value) } ?? value
            case .time(let codes):
                Self.renderTime(codes, nanoseconds: timeNanoseconds, into: &out)
            }
        }
    }

    public func renderString(_ message: Message) -> String {
        String(decoding: render(message), as: UTF8.self)
    }

    // MARK: values

    static func headerValue(_ variable: HeaderVariable, of message: Message) -> [UInt8]? {
        switch variable {
        case .type: message.type?.bytes
        case .logger: message.logger?.bytes
        case .hostname: message.hostname?.bytes
        case .payload: message.payload?.bytes
        case .envVersion: message.envVersion?.bytes
        case .severity: Array(String(message.effectiveSeverity).utf8)
        case .pid: message.pid.map { Array(String($0).utf8) }
        case .uuid: message.uuid.map { Array($0.string.utf8) }
        case .timestamp: Array(String(message.timestamp).utf8)
        }
    }

    /// Numeric header variables written as digits without building a `String` (document ids and
    /// paths render the timestamp per message); false for the others and an unset pid.
    static func appendNumber(_ variable: HeaderVariable, of message: Message, to out: inout [UInt8]) -> Bool {
        switch variable {
        case .timestamp: CivilTime.appendDigits(Int(message.timestamp), width: 1, to: &out)
        case .severity: CivilTime.appendDigits(Int(message.effectiveSeverity), width: 1, to: &out)
        case .pid:
            guard let pid = message.pid else { return false }
            CivilTime.appendDigits(Int(pid), width: 1, to: &out)
        default: return false
        }
        return true
    }

    static func firstValueText(_ field: Field) -> [UInt8]? {
        switch field.values {
        case .string(let values), .bytes(let values): values.first?.bytes
        case .integer(let values): values.first.map { Array(String($0).utf8) }
        case .double(let values): values.first.map { Array(String($0).utf8) }
        case .bool(let values): values.first.map { Array(String($0).utf8) }
        }
    }

    static func renderTime(_ codes: [TimeCode], nanoseconds: Int64, into out: inout [UInt8]) {
        let time = CivilTime(nanosecondsSinceEpoch: nanoseconds)
        for code in codes {
            switch code {
            case .literal(let bytes): out += bytes
            case .year: CivilTime.appendDigits(time.year, width: 4, to: &out)
            case .shortYear: CivilTime.appendDigits(((time.year % 100) + 100) % 100, width: 2, to: &out)
            case .month: CivilTime.appendDigits(time.month, width: 2, to: &out)
            case .day: CivilTime.appendDigits(time.day, width: 2, to: &out)
            case .hour: CivilTime.appendDigits(time.hour, width: 2, to: &out)
            case .minute: CivilTime.appendDigits(time.minute, width: 2, to: &out)
            case .second: CivilTime.appendDigits(time.second, width: 2, to: &out)
            case .dayOfYear: CivilTime.appendDigits(time.dayOfYear, width: 3, to: &out)
            case .monthName: out += monthNames[time.month - 1]
            case .weekdayName: out += weekdayNames[time.weekday]
            case .unixSeconds: out += Array(String(nanoseconds / 1_000_000_000).utf8)
            }
        }
    }

    // MARK: parsing

    static func parse(_ template: String) throws(SyntaxError) -> [Part] {
        let bytes = Array(template.utf8)
        var parts: [Part] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{") else {
                literal.append(bytes[index])
                index += 1
                continue
            }
            guard let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                throw SyntaxError(template: template, offset: index, reason: "unterminated '%{'")
            }
            let inner = Array(bytes[(index + 2)..<close])
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = []
            }
            parts.append(try placeholder(inner, template: template, offset: index))
            index = close + 1
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    private static func placeholder(_ inner: [UInt8], template: String, offset: Int) throws(SyntaxError) -> Part {
        guard !inner.isEmpty else { throw SyntaxError(template: template, offset: offset, reason: "empty '%{}'") }
        if inner.first == UInt8(ascii: "%") { return .time(try timeCodes(inner, template: template, offset: offset)) }
        let text = String(decoding: inner, as: UTF8.self)
        if let variable = HeaderVariable(rawValue: text) { return .header(variable) }
        if text.hasPrefix("Fields[") {
            guard text.hasSuffix("]"), text.count > "Fields[]".count else {
                throw SyntaxError(template: template, offset: offset, reason: "expected 'Fields[name]'")
            }
            return .field(ByteString(String(text.dropFirst("Fields[".count).dropLast())))
        }
        return .field(ByteString(inner))
    }

    private static func timeCodes(_ inner: [UInt8], template: String, offset: Int) throws(SyntaxError) -> [TimeCode] {
        var codes: [TimeCode] = []
        var literal: [UInt8] = []
        var index = 0
        while index < inner.count {
            guard inner[index] == UInt8(ascii: "%") else {
                literal.append(inner[index])
                index += 1
                continue
            }
            guard index + 1 < inner.count else {
                throw SyntaxError(template: template, offset: offset, reason: "a time code is missing after '%'")
            }
            if !literal.isEmpty {
                codes.append(.literal(literal))
                literal = []
            }
            let code: TimeCode
            switch inner[index + 1] {
            case UInt8(ascii: "Y"): code = .year
            case UInt8(ascii: "y"): code = .shortYear
            case UInt8(ascii: "m"): code = .month
            case UInt8(ascii: "d"): code = .day
            case UInt8(ascii: "H"): code = .hour
            case UInt8(ascii: "M"): code = .minute
            case UInt8(ascii: "S"): code = .second
            case UInt8(ascii: "j"): code = .dayOfYear
            case UInt8(ascii: "b"): code = .monthName
            case UInt8(ascii: "a"): code = .weekdayName
            case UInt8(ascii: "s"): code = .unixSeconds
            case UInt8(ascii: "%"): code = .literal([UInt8(ascii: "%")])
            default:
                throw SyntaxError(template: template, offset: offset,
                                  reason: "unknown time code '%\(String(decoding: [inner[index + 1]], as: UTF8.self))' (known: %Y %y %m %d %H %M %S %j %b %a %s %%)")
            }
            codes.append(code)
            index += 2
        }
        if !literal.isEmpty { codes.append(.literal(literal)) }
        return codes
    }
}

// Built once: time codes render per message on hot paths (index names, file paths).
private let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }
private let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].map { Array($0.utf8) }
