/// Where a message body ends (RFC 9112 §6): after a declared length, after the last chunk and its
/// trailers, or at the connection's close. Fed the bytes as they arrive, it reports which of them
/// are body data (chunk framing excluded) and where the message ends, so bodies are forwarded as
/// the raw bytes they arrived in.
struct BodyFraming {
    private enum State {
        case remaining(Int)
        case chunkSize(Int, digits: Int)
        case chunkExtension(Int)
        case chunkSizeLF(Int)
        case chunkData(Int)
        case chunkDataCR, chunkDataLF
        case trailerStart, trailerLine, trailerLF, finalLF
        case untilClose
        case done
    }

    private var state: State

    static func length(_ length: Int) -> BodyFraming { BodyFraming(state: length > 0 ? .remaining(length) : .done) }
    static let chunked = BodyFraming(state: .chunkSize(0, digits: 0))
    static let untilClose = BodyFraming(state: .untilClose)

    var isDone: Bool { if case .done = state { return true } else { return false } }
    var endsWithClose: Bool { if case .untilClose = state { return true } else { return false } }

    /// Consumes bytes from the start of `bytes` and returns how many belong to this body: all of
    /// them unless the message ended inside `bytes`. `data` gets each range of body data.
    mutating func consume(_ bytes: UnsafeRawBufferPointer, data: (Range<Int>) -> Void) throws -> Int {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            switch state {
            case .remaining(let left):
                let taken = Self.pass(left, from: index, count: count, data)
                index += taken
                state = left == taken ? .done : .remaining(left - taken)
            case .untilClose:
                data(index..<count)
                return count
            case .done:
                return index
            case .chunkSize(let size, let digits):
                if let value = Self.hexValue(byte) {
                    guard digits < 15 else { throw HeadError(offset: index, message: "chunk size too large") }
                    state = .chunkSize(size << 4 | value, digits: digits + 1)
                } else {
                    guard digits > 0 else { throw HeadError(offset: index, message: "malformed chunk size") }
                    if byte == HeadScanner.cr {
                        state = .chunkSizeLF(size)
                    } else if byte == UInt8(ascii: ";") || byte == HeadScanner.space || byte == HeadScanner.tab {
                        state = .chunkExtension(size)
                    } else {
                        throw HeadError(offset: index, message: "malformed chunk size")
                    }
                }
                index += 1
            case .chunkExtension(let size):
                if byte == HeadScanner.cr {
                    state = .chunkSizeLF(size)
                } else if byte < 0x20 && byte != HeadScanner.tab || byte == 0x7F {
                    throw HeadError(offset: index, message: "control byte in chunk extension")
                }
                index += 1
            case .chunkSizeLF(let size):
                try Self.expectLF(byte, at: index)
                state = size == 0 ? .trailerStart : .chunkData(size)
                index += 1
            case .chunkData(let left):
                let taken = Self.pass(left, from: index, count: count, data)
                index += taken
                state = left == taken ? .chunkDataCR : .chunkData(left - taken)
            case .chunkDataCR:
                guard byte == HeadScanner.cr else { throw HeadError(offset: index, message: "chunk data longer than its size") }
                state = .chunkDataLF
                index += 1
            case .chunkDataLF:
                try Self.expectLF(byte, at: index)
                state = .chunkSize(0, digits: 0)
                index += 1
            case .trailerStart:
                state = byte == HeadScanner.cr ? .finalLF : .trailerLine
                index += 1
            case .trailerLine:
                if byte == HeadScanner.cr { state = .trailerLF }
                index += 1
            case .trailerLF:
                try Self.expectLF(byte, at: index)
                state = .trailerStart
                index += 1
            case .finalLF:
                try Self.expectLF(byte, at: index)
                state = .done
                return index + 1
            }
        }
        return index
    }

    @inline(__always)
    private static func expectLF(_ byte: UInt8, at index: Int) throws {
        guard byte == HeadScanner.lf else { throw HeadError(offset: index, message: "CR without LF") }
    }

    /// Reports up to `left` data bytes from `index`; returns how many there were.
    @inline(__always)
    private static func pass(_ left: Int, from index: Int, count: Int, _ data: (Range<Int>) -> Void) -> Int {
        let taken = min(left, count - index)
        data(index..<index + taken)
        return taken
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
