import RunnelCore

/// One record of Docker's `json-file` log driver: a line of `<id>-json.log` such as
/// `{"log":"GET / 200\n","stream":"stdout","time":"2026-11-25T23:33:35.123456789Z"}` (sometimes
/// with an `"attrs"` object). `log` is one entry: a whole line with its `\n`, or a 16 KiB part of a
/// longer line without it.
///
/// The parser is specialised for this shape and allocation-free per record (its buffers are
/// reused): it reads the top-level string members it needs, unescapes `log`, and skips anything
/// else, nested objects included. It never traps on what a file holds.
struct JSONFileLogRecord {
    var stream: DockerLogStream = .stdout
    /// The `time` text, RFC 3339 with nanoseconds, as Docker wrote it.
    var time: [UInt8] = []
    /// The unescaped `log` text.
    var log: [UInt8] = []

    init() {
        time.reserveCapacity(40)
        log.reserveCapacity(512)
    }

    /// Parses one record (without its `\n`); on failure returns what is wrong and where, as an
    /// offset into `bytes`.
    mutating func parse(_ bytes: UnsafeRawBufferPointer) -> (offset: Int, reason: String)? {
        time.removeAll(keepingCapacity: true)
        log.removeAll(keepingCapacity: true)
        stream = .stdout
        var sawLog = false
        var scanner = Scanner(bytes: bytes)
        scanner.skipSpace()
        guard scanner.take(UInt8(ascii: "{")) else { return scanner.failure("expected '{'") }
        scanner.skipSpace()
        if scanner.take(UInt8(ascii: "}")) { return (0, "the record has no \"log\" member") }
        while true {
            scanner.skipSpace()
            guard let key = scanner.keyName() else { return scanner.failure("expected a member name") }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")) else { return scanner.failure("expected ':'") }
            scanner.skipSpace()
            switch key {
            case .log:
                guard scanner.string(into: &log) else { return scanner.failure("\"log\" is not a valid string") }
                sawLog = true
            case .time:
                guard scanner.string(into: &time) else { return scanner.failure("\"time\" is not a valid string") }
            case .stream:
                guard let name = scanner.plainString() else { return scanner.failure("\"stream\" is not a plain string") }
                stream = name.elementsEqual("stderr".utf8) ? .stderr : .stdout
            case .other:
                guard scanner.skipValue() else { return scanner.failure("malformed value") }
            }
            scanner.skipSpace()
            if scanner.take(UInt8(ascii: ",")) { continue }
            if scanner.take(UInt8(ascii: "}")) { break }
            return scanner.failure("expected ',' or '}'")
        }
        return sawLog ? nil : (0, "the record has no \"log\" member")
    }
}

private enum RecordKey { case log, stream, time, other }

/// A cursor over one record's bytes.
private struct Scanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    func failure(_ reason: String) -> (offset: Int, reason: String) { (index, reason) }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D, 0x0A: index += 1
            default: return
            }
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A member name, recognised in place for the three that matter (Docker never escapes them).
    mutating func keyName() -> RecordKey? {
        guard let raw = plainString() else {
            var ignored: [UInt8] = []
            return string(into: &ignored) ? .other : nil
        }
        if raw.elementsEqual("log".utf8) { return .log }
        if raw.elementsEqual("time".utf8) { return .time }
        if raw.elementsEqual("stream".utf8) { return .stream }
        return .other
    }

    /// A string without escapes, consumed and returned in place; nil (nothing consumed) when it
    /// has escapes or is not a string.
    mutating func plainString() -> UnsafeRawBufferPointer.SubSequence? {
        guard index < bytes.count, bytes[index] == 0x22 else { return nil }
        var end = index + 1
        while end < bytes.count && bytes[end] != 0x22 {
            if bytes[end] == 0x5C { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        defer { index = end + 1 }
        return bytes[(index + 1)..<end]
    }

    /// A JSON string, unescaped into `out`. Invalid escapes and lone surrogates fail; control
    /// bytes and invalid UTF-8 are kept as they are (Docker writes neither, but a file may).
    mutating func string(into out: inout [UInt8]) -> Bool {
        guard take(UInt8(ascii: "\"")) else { return false }
        while index < bytes.count {
            // Copy the run up to the next quote or backslash at once.
            var end = index
            while end < bytes.count && bytes[end] != 0x22 && bytes[end] != 0x5C { end += 1 }
            if end > index { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end])) }
            index = end
            guard index < bytes.count else { return false }
            if bytes[index] == 0x22 {
                index += 1
                return true
            }
            index += 1  // backslash
            guard index < bytes.count else { return false }
            let escape = bytes[index]
            index += 1
            switch escape {
            case 0x22, 0x5C, 0x2F: out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return false }
                if (0xD800..<0xDC00).contains(scalar) {
                    guard take(0x5C), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return false }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    return false
                }
                UTF8Bytes.append(scalar, to: &out)
            default:
                return false
            }
        }
        return false
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Skips any JSON value (objects and arrays by nesting depth, strings by their escapes).
    mutating func skipValue() -> Bool {
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case 0x22:
                var ignored: [UInt8] = []
                guard string(into: &ignored) else { return false }
                if depth == 0 { return true }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return true }  // the end of the enclosing record
                depth -= 1
                index += 1
                if depth == 0 { return true }
            case UInt8(ascii: ","):
                if depth == 0 { return true }
                index += 1
            default:
                index += 1
            }
        }
        return false
    }
}
