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

    let program: NginxProgram
    /// Also add `request_method`, `request_uri` and `server_protocol` from `$request`.
    let splitRequest: Bool

    init(format: NginxLogFormat, splitRequest: Bool) {
        program = NginxProgram(format)
        self.splitRequest = splitRequest
    }

    static let requestMethod: ByteString = "request_method"
    static let requestURI: ByteString = "request_uri"
    static let serverProtocol: ByteString = "server_protocol"

    func parse(_ line: UnsafeBufferPointer<UInt8>, into message: inout Message) throws(Failure) {
        var position = 0
        for index in program.instructions.indices {
            let instruction = program.instructions[index]
            switch instruction.operation {
            case .literal:
                let literal = Int(instruction.start)..<Int(instruction.start + instruction.count)
                for expected in program.literals[literal] {
                    guard position < line.count, line[position] == expected else {
                        throw Failure(column: position + 1, reason: "expected '\(textPreview(program.literals[literal]))'")
                    }
                    position += 1
                }
            case .whitespace:
                let start = position
                while position < line.count, line[position] == 0x20 || line[position] == 0x09 { position += 1 }
                guard position > start else { throw Failure(column: position + 1, reason: "expected a space") }
            case .variable:
                position = try read(instruction, line, at: position, into: &message)
            }
        }
        guard position == line.count else {
            throw Failure(column: position + 1, reason: "unexpected text after the last field: '\(textPreview(line[position...]))'")
        }
    }

    /// Reads one variable's value starting at `start`; returns where it ended.
    private func read(_ instruction: NginxProgram.Instruction, _ line: UnsafeBufferPointer<UInt8>, at start: Int,
                      into message: inout Message) throws(Failure) -> Int {
        let slot = Int(instruction.start)
        if instruction.kind == .timeLocal {
            guard let instant = NginxValueReaders.timeLocal(line, at: start) else {
                throw Failure(column: start + 1, reason: "$time_local is not like 10/Oct/2000:13:55:36 -0700")
            }
            message.timestamp = instant
            return start + 26
        }
        let end = valueEnd(instruction, line, from: start)
        let range = start..<end
        if range.count == 1, line[start] == UInt8(ascii: "-") { return end }
        func invalid(_ shape: String) -> Failure {
            Failure(column: start + 1, reason: "$\(program.variableNames[slot]) '\(textPreview(line[range]))' is not \(shape)")
        }
        switch instruction.kind {
        case .string:
            message.fields.append(.string(program.names[slot], Self.bytes(line, range)))
        case .host:
            message.fields.append(.string(program.names[slot], Self.bytes(line, range), representation: Self.hostRepresentation(line, range)))
        case .integer:
            guard let number = NginxValueReaders.integer(line, range) else { throw invalid("an integer") }
            message.fields.append(.integer(program.names[slot], number, representation: program.representations[slot]))
        case .double:
            guard let number = NginxValueReaders.double(line, range) else { throw invalid("a decimal number") }
            message.fields.append(.double(program.names[slot], number, representation: program.representations[slot]))
        case .timeISO8601:
            guard let instant = NginxValueReaders.timeISO8601(line, range) else { throw invalid("like 2000-10-10T13:55:36-07:00") }
            message.timestamp = instant
        case .msec:
            guard let instant = NginxValueReaders.msec(line, range) else { throw invalid("Unix seconds like 1700000000.123") }
            message.timestamp = instant
        case .request:
            message.fields.append(.string(program.names[slot], Self.bytes(line, range)))
            if splitRequest { Self.addRequestParts(line, range, to: &message) }
        case .stringList:
            let items = Self.listItems(line, range).map { Self.bytes(line, $0) }
            message.fields.append(Field(name: program.names[slot], values: .string(items)))
        case .integerList:
            var numbers: [Int64] = []
            for item in Self.listItems(line, range) {
                // A "-" stands for an upstream that gave no answer; 0 keeps the positions aligned.
                if item.count == 1, line[item.lowerBound] == UInt8(ascii: "-") { numbers.append(0); continue }
                guard let number = NginxValueReaders.integer(line, item) else { throw invalid("a list of integers") }
                numbers.append(number)
            }
            message.fields.append(Field(name: program.names[slot], representation: program.representations[slot], values: .integer(numbers)))
        case .doubleList:
            var numbers: [Double] = []
            for item in Self.listItems(line, range) {
                if item.count == 1, line[item.lowerBound] == UInt8(ascii: "-") { numbers.append(0); continue }
                guard let number = NginxValueReaders.double(line, item) else { throw invalid("a list of decimal numbers") }
                numbers.append(number)
            }
            message.fields.append(Field(name: program.names[slot], representation: program.representations[slot], values: .double(numbers)))
        case .timeLocal:
            break
        }
        return end
    }

    /// Where a value starting at `start` ends, by what the format says follows it. Upstream lists
    /// may hold `", "` and `" : "` separators, so a space ends them only when no separator follows.
    private func valueEnd(_ instruction: NginxProgram.Instruction, _ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let isList = instruction.kind.isList
        switch instruction.end {
        case .lineEnd:
            return line.count
        case .byte where !isList:
            return Self.firstIndex(of: instruction.endByte, in: line, from: start)
        case .byte:
            let terminator = instruction.endByte
            while index < line.count, line[index] != terminator {
                if let next = Self.listSeparatorEnd(line, index) { index = next; continue }
                index += 1
            }
        case .whitespace:
            while index < line.count, line[index] != 0x20, line[index] != 0x09 {
                index += 1
                if isList, let next = Self.listSeparatorEnd(line, index) { index = next }
            }
        case .quote:
            // The first quote not escaped by an odd run of backslashes.
            while true {
                index = Self.firstIndex(of: UInt8(ascii: "\""), in: line, from: index)
                guard index < line.count else { return index }
                var backslashes = 0
                while index - backslashes > start, line[index - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
                if backslashes % 2 == 0 { return index }
                index += 1
            }
        }
        return index
    }

    /// The index of the first `byte` at or after `start`, or the line's end (memchr: values such
    /// as user agents are long).
    private static func firstIndex(of byte: UInt8, in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        UnsafeRawBufferPointer(line).indexOfByte(byte, from: start) ?? line.count
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
    private static func addRequestParts(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to message: inout Message) {
        guard let firstSpace = range.firstIndex(where: { line[$0] == 0x20 }), firstSpace > range.lowerBound,
              let lastSpace = range.last(where: { line[$0] == 0x20 }) else { return }
        let method = range.lowerBound..<firstSpace
        guard method.allSatisfy({ line[$0] >= UInt8(ascii: "A") && line[$0] <= UInt8(ascii: "Z") }) else { return }
        let hasProtocol = lastSpace > firstSpace && range.upperBound - lastSpace > 5
            && line[lastSpace + 1] == UInt8(ascii: "H") && line[lastSpace + 2] == UInt8(ascii: "T")
            && line[lastSpace + 3] == UInt8(ascii: "T") && line[lastSpace + 4] == UInt8(ascii: "P")
            && line[lastSpace + 5] == UInt8(ascii: "/")
        // Without a protocol it is an HTTP/0.9 request line: method and URI.
        let uri = (firstSpace + 1)..<(hasProtocol ? lastSpace : range.upperBound)
        guard !uri.isEmpty else { return }
        message.fields.append(.string(requestMethod, bytes(line, method)))
        message.fields.append(.string(requestURI, bytes(line, uri)))
        if hasProtocol { message.fields.append(.string(serverProtocol, bytes(line, (lastSpace + 1)..<range.upperBound))) }
    }

    /// `ipv4` for dotted quads, `ipv6` when there is a colon, else `hostname` (as Heka labelled them).
    private static func hostRepresentation(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> ByteString {
        var dots = 0
        var numeric = true
        for index in range {
            let byte = line[index]
            if byte == UInt8(ascii: ":") { return ipv6 }
            if byte == UInt8(ascii: ".") { dots += 1 } else if byte &- 0x30 >= 10 { numeric = false }
        }
        return numeric && dots == 3 ? ipv4 : hostname
    }

    private static let ipv4: ByteString = "ipv4"
    private static let ipv6: ByteString = "ipv6"
    private static let hostname: ByteString = "hostname"
}
