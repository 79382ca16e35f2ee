import RunnelCore

/// Reads one access log line with a compiled `NginxLogFormat`, in one pass over its bytes:
/// literals are compared, each variable's value runs to what ends it, typed values are converted
/// in place and only string values are copied out. A value of `-` (nginx's "empty") adds nothing.
struct NginxLineParser: Sendable {
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// 1-based byte column where reading stopped.
        var column: Int
        var reason: String
        var description: String { "line does not fit log_format at column \(column): \(reason)" }
    }

    let format: NginxLogFormat
    /// Also add `request_method`, `request_uri` and `server_protocol` from `$request`.
    let splitRequest: Bool

    static let requestMethod: ByteString = "request_method"
    static let requestURI: ByteString = "request_uri"
    static let serverProtocol: ByteString = "server_protocol"

    func parse(_ line: UnsafeBufferPointer<UInt8>, into message: inout Message) throws(Failure) {
        var position = 0
        for step in format.steps {
            switch step {
            case .literal(let literal):
                for expected in literal {
                    guard position < line.count, line[position] == expected else {
                        throw Failure(column: position + 1, reason: "expected '\(textPreview(literal))'")
                    }
                    position += 1
                }
            case .whitespace:
                let start = position
                while position < line.count, line[position] == 0x20 || line[position] == 0x09 { position += 1 }
                guard position > start else { throw Failure(column: position + 1, reason: "expected a space") }
            case .variable(let variable):
                position = try read(variable, line, at: position, into: &message)
            }
        }
        guard position == line.count else {
            throw Failure(column: position + 1, reason: "unexpected text after the last field: '\(textPreview(line[position...]))'")
        }
    }

    /// Reads one variable's value starting at `start`; returns where it ended.
    private func read(_ variable: NginxLogFormat.Variable, _ line: UnsafeBufferPointer<UInt8>, at start: Int,
                      into message: inout Message) throws(Failure) -> Int {
        if variable.kind == .timeLocal {
            guard let instant = NginxValueReaders.timeLocal(line, at: start) else {
                throw Failure(column: start + 1, reason: "$time_local is not like 10/Oct/2000:13:55:36 -0700")
            }
            message.timestamp = instant
            return start + 26
        }
        let end = valueEnd(variable, line, from: start)
        let range = start..<end
        if range.count == 1, line[start] == UInt8(ascii: "-") { return end }
        func invalid(_ shape: String) -> Failure {
            Failure(column: start + 1, reason: "$\(variable.name) '\(textPreview(line[range]))' is not \(shape)")
        }
        switch variable.kind {
        case .string:
            message.fields.append(.string(variable.field, Self.bytes(line, range)))
        case .host:
            let value = Self.bytes(line, range)
            message.fields.append(.string(variable.field, value, representation: Self.hostRepresentation(value.bytes)))
        case .integer(let representation):
            guard let number = NginxValueReaders.integer(line, range) else { throw invalid("an integer") }
            message.fields.append(.integer(variable.field, number, representation: representation))
        case .double(let representation):
            guard let number = NginxValueReaders.double(line, range) else { throw invalid("a decimal number") }
            message.fields.append(.double(variable.field, number, representation: representation))
        case .timeISO8601:
            guard let instant = NginxValueReaders.timeISO8601(line, range) else { throw invalid("like 2000-10-10T13:55:36-07:00") }
            message.timestamp = instant
        case .msec:
            guard let instant = NginxValueReaders.msec(line, range) else { throw invalid("Unix seconds like 1700000000.123") }
            message.timestamp = instant
        case .request:
            let request = Self.bytes(line, range)
            message.fields.append(.string(variable.field, request))
            if splitRequest { Self.addRequestParts(request.bytes, to: &message) }
        case .stringList:
            message.fields.append(Field(name: variable.field, values: .string(Self.listItems(line, range).map { Self.bytes(line, $0) })))
        case .integerList(let representation):
            var numbers: [Int64] = []
            for item in Self.listItems(line, range) {
                // A "-" stands for an upstream that gave no answer; 0 keeps the positions aligned.
                if item.count == 1, line[item.lowerBound] == UInt8(ascii: "-") { numbers.append(0); continue }
                guard let number = NginxValueReaders.integer(line, item) else { throw invalid("a list of integers") }
                numbers.append(number)
            }
            message.fields.append(Field(name: variable.field, representation: representation, values: .integer(numbers)))
        case .doubleList(let representation):
            var numbers: [Double] = []
            for item in Self.listItems(line, range) {
                if item.count == 1, line[item.lowerBound] == UInt8(ascii: "-") { numbers.append(0); continue }
                guard let number = NginxValueReaders.double(line, item) else { throw invalid("a list of decimal numbers") }
                numbers.append(number)
            }
            message.fields.append(Field(name: variable.field, representation: representation, values: .double(numbers)))
        case .timeLocal:
            break
        }
        return end
    }

    /// Where a value starting at `start` ends, by what the format says follows it. Upstream lists
    /// may hold `", "` and `" : "` separators, so a space ends them only when no separator follows.
    private func valueEnd(_ variable: NginxLogFormat.Variable, _ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        switch variable.end {
        case .lineEnd:
            return line.count
        case .byte(let terminator):
            while index < line.count, line[index] != terminator {
                if variable.kind.isList, let next = Self.listSeparatorEnd(line, index) { index = next; continue }
                index += 1
            }
        case .whitespace:
            while index < line.count, line[index] != 0x20, line[index] != 0x09 {
                index += 1
                if variable.kind.isList, let next = Self.listSeparatorEnd(line, index) { index = next }
            }
        case .quote:
            while index < line.count, line[index] != UInt8(ascii: "\"") {
                index += line[index] == UInt8(ascii: "\\") && index + 1 < line.count ? 2 : 1
            }
        }
        return index
    }

    /// Just past a `", "` or `" : "` list separator at `index`, if there is one.
    private static func listSeparatorEnd(_ line: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int? {
        if index + 1 < line.count, line[index] == UInt8(ascii: ","), line[index + 1] == 0x20 { return index + 2 }
        if index + 2 < line.count, line[index] == 0x20, line[index + 1] == UInt8(ascii: ":"), line[index + 2] == 0x20 {
            return index + 3
        }
        return nil
    }

    private static func listItems(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Range<Int>] {
        var items: [Range<Int>] = []
        var itemStart = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            if let next = listSeparatorEnd(line, index), next <= range.upperBound {
                items.append(itemStart..<index)
                index = next
                itemStart = next
            } else {
                index += 1
            }
        }
        items.append(itemStart..<range.upperBound)
        return items
    }

    @inline(__always)
    private static func bytes(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> ByteString {
        ByteString(Array(UnsafeBufferPointer(rebasing: line[range])))
    }

    /// `GET /path?q HTTP/1.1` → method, URI and protocol fields; anything else adds nothing.
    private static func addRequestParts(_ request: [UInt8], to message: inout Message) {
        guard let firstSpace = request.firstIndex(of: 0x20), firstSpace > 0,
              let lastSpace = request.lastIndex(of: 0x20) else { return }
        let method = request[..<firstSpace]
        guard method.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return }
        let uri: ArraySlice<UInt8>
        var proto: ArraySlice<UInt8>?
        if lastSpace > firstSpace, request[(lastSpace + 1)...].starts(with: "HTTP/".utf8) {
            uri = request[(firstSpace + 1)..<lastSpace]
            proto = request[(lastSpace + 1)...]
        } else {
            uri = request[(firstSpace + 1)...]  // HTTP/0.9: no protocol
        }
        guard !uri.isEmpty else { return }
        message.fields.append(.string(requestMethod, ByteString(Array(method))))
        message.fields.append(.string(requestURI, ByteString(Array(uri))))
        if let proto { message.fields.append(.string(serverProtocol, ByteString(Array(proto)))) }
    }

    /// `ipv4` for dotted quads, `ipv6` when there is a colon, else `hostname` (as Heka labelled them).
    private static func hostRepresentation(_ value: [UInt8]) -> ByteString {
        if value.contains(UInt8(ascii: ":")) { return ipv6 }
        let dots = value.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
        let numeric = value.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }
        return numeric && dots == 3 ? ipv4 : hostname
    }

    private static let ipv4: ByteString = "ipv4"
    private static let ipv6: ByteString = "ipv6"
    private static let hostname: ByteString = "hostname"
}

extension NginxValueKind {
    var isList: Bool {
        switch self {
        case .stringList, .integerList, .doubleList: true
        default: false
        }
    }
}
