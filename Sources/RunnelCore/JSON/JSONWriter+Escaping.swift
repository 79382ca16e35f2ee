extension JSONWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Appends `value` as a quoted JSON string. Invalid UTF-8 is replaced with U+FFFD when
    /// `repairing` (and counted); otherwise nothing is appended and the result is false, so a
    /// caller can choose another form for those bytes.
    mutating func appendQuoted(_ value: UnsafeBufferPointer<UInt8>, repairing: Bool) -> Bool {
        let start = bytes.count
        bytes.append(UInt8(ascii: "\""))
        var exact = true
        var runStart = 0
        var index = 0
        let count = value.count
        while true {
            index = JSONStringWord.endOfPlainRun(value, from: index)
            guard index < count else { break }
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
                bytes.removeSubrange(start...)
                return false
            }
            appendRun(value, runStart..<index)
            bytes.append(contentsOf: Self.replacementCharacter)
            exact = false
            index -= length
            runStart = index
        }
        appendRun(value, runStart..<count)
        bytes.append(UInt8(ascii: "\""))
        if !exact { lossyValueCount += 1 }
        return exact
    }

    @inline(__always)
    private mutating func appendRun(_ value: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        if !range.isEmpty { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[range])) }
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
            bytes.append(contentsOf: [
                UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)],
            ])
            return
        }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(short)
    }
}
