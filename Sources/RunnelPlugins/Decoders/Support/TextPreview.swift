/// The start of a value for an error message: at most `limit` bytes, invalid UTF-8 and control
/// characters shown escaped, so a hostile record cannot garble the log line that reports it.
func textPreview<C: Collection<UInt8>>(_ text: C, limit: Int = 64) -> String {
    var out = ""
    for byte in text.prefix(limit) {
        switch byte {
        case 0x20..<0x7F where byte != UInt8(ascii: "\\"): out.unicodeScalars.append(Unicode.Scalar(byte))
        case UInt8(ascii: "\\"): out += "\\\\"
        default: out += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
    return text.count > limit ? out + "…" : out
}
