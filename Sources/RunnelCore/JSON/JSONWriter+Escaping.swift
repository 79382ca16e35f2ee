extension JSONWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `value` as a quoted JSON string. Invalid UTF-8 is replaced with U+FFFD when
    /// `repairing` (and counted); otherwise nothing is appended and the result is false, so a
    /// caller can choose another form for those bytes.
    mutating func appendQuoted(_ value: UnsafeBufferPointer<UInt8>, repairing: Bool) -> Bool {
        let start = count
        put(UInt8(ascii: "\""))
        var exact = true
        var runStart = 0
        var index = 0
        while true {
            index = JSONStringWord.endOfPlainRun(value, from: index)
            guard index < value.count else { break }
            let byte = value[index]
            if byte < 0x80 {
                appendRun(value, runStart..<index)
                appendEscape(byte)
                index += 1
                runStart = index
                continue
            }
            let length = UTF8Validation.sequenceLength(value, at: index)
            if length > 0 {
                index += length  // valid UTF-8 stays in the run
                continue
            }
            guard repairing else {
                truncate(to: start)
                return false
            }
            appendRun(value, runStart..<index)
            let replacement = reserve(3)  // U+FFFD in UTF-8
            replacement[0] = 0xEF
            replacement[1] = 0xBF
            replacement[2] = 0xBD
            commit(3)
            exact = false
            index -= length
            runStart = index
        }
        appendRun(value, runStart..<value.count)
        put(UInt8(ascii: "\""))
        if !exact { lossyValueCount += 1 }
        return exact
    }

    @inline(__always)
    private mutating func appendRun(_ value: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        put(UnsafeBufferPointer(rebasing: value[range]))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x08: short = UInt8(ascii: "b")
        case 0x09: short = UInt8(ascii: "t")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0D: short = UInt8(ascii: "r")
        default:
            put("\\u00")
            put(Self.hexDigits[Int(byte >> 4)])
            put(Self.hexDigits[Int(byte & 0xF)])
            return
        }
        let escape = reserve(2)
        escape[0] = UInt8(ascii: "\\")
        escape[1] = short
        commit(2)
    }
}
